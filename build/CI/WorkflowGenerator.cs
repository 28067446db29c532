using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.CI;

/// <summary>A workflow as the build declares it: triggers and stages; the jobs are derived.</summary>
public sealed record WorkflowDeclaration(string FileName, string Name, WorkflowTriggers On, IReadOnlyList<Stage> Stages)
{
    public Concurrency? Concurrency { get; init; }
}

/// <summary>
/// Declared stages + the target graph + the build's parameters → a <see cref="Workflow"/>. Every job checks
/// out, sets up .NET, restores the NuGet and compiled-build caches, takes the artifacts/ of the jobs before it,
/// installs its tools, runs <c>./build.sh &lt;Targets&gt;</c> and hands its artifacts/ on.
/// </summary>
public static class WorkflowGenerator
{
    public const string DotNetVersion = "10.0.x";
    /// <summary>The CI-only targets that hand images between jobs (Build.CI.cs).</summary>
    public const string ImagesTarget = "Images",
        HashesTarget = "ImageHashes",
        SaveTarget = "SaveImageArchives",
        LoadTarget = "LoadImageArchives";
    /// <summary>Targets that need the images in the job's own engine (the others use artifacts/images.json or registries).</summary>
    public static readonly IReadOnlySet<string> ImageReaders = new HashSet<string> { "ClusterTest", "Publish" };
    public const string ImagesArtifact = "images";
    public const string ImagesFolder = "artifacts/ci-images";
    public const string HashesStep = "hashes";
    public const string TargetsStep = "targets";

    public static Workflow Generate(WorkflowDeclaration declaration, IReadOnlyList<ExecutableTarget> graph,
        IReadOnlyList<ParameterInfo> parameters, CiContext context)
    {
        var planned = JobPlanner.Plan(graph, declaration.Stages);
        var byName = graph.ToDictionary(t => t.Name);
        var handsOnImages = planned.Any(j => ImagesOf(j, byName) == ImageRole.Loads);
        var inputs = declaration.On.Dispatch?.Select(i => i.Name).ToHashSet() ?? [];
        var selecting = inputs.Contains(DispatchSelection.TargetsInput) ? DispatchSelection.Selections(planned, graph) : null;
        var dispatch = new DispatchInputs(selecting, inputs.Contains(DispatchSelection.ParametersInput));
        var jobs = planned.Select(job => ToJob(job, planned, graph, parameters, context, handsOnImages, dispatch)).ToList();
        // Nothing by default: every job says what its token may do.
        return new Workflow(declaration.Name, declaration.On, jobs) { Concurrency = declaration.Concurrency, Permissions = [] };
    }

    /// <summary>How a job takes part in handing images on.</summary>
    public enum ImageRole { None, Bakes, Loads }

    public static ImageRole ImagesOf(PlannedJob job, IReadOnlyDictionary<string, ExecutableTarget> byName) =>
        job.Targets.Contains(ImagesTarget) ? ImageRole.Bakes
        : job.Targets.Any(ImageReaders.Contains) && JobPlanner.Closure(job.Targets.Select(n => byName[n])).Any(t => t.Name == ImagesTarget)
            ? ImageRole.Loads
        : ImageRole.None;

    /// <summary>
    /// The run step's targets: a baking job runs ImageHashes (and what it depends on) in a step of its own, then loads
    /// what the caches restored, bakes the rest and saves every image; a loading job loads before its targets.
    /// </summary>
    public static PlannedJob RunStep(PlannedJob job, ImageRole role, IReadOnlyDictionary<string, ExecutableTarget> byName) => role switch
    {
        ImageRole.Bakes => job with
        {
            Targets = [LoadTarget, .. job.Targets.Except(JobPlanner.Closure([byName[HashesTarget]]).Select(t => t.Name))
                .SelectMany(t => t == ImagesTarget ? new[] { t, SaveTarget } : [t])],
            SkipsOthers = true,
        },
        ImageRole.Loads => job with { Targets = [LoadTarget, .. job.Targets], SkipsOthers = true },
        _ => job,
    };

    /// <summary>What the workflow's dispatch inputs do to each job: select it by targets, add parameters to its command.</summary>
    private sealed record DispatchInputs(IReadOnlyDictionary<string, string>? Selecting, bool PassesParameters);

    private static Job ToJob(PlannedJob job, IReadOnlyList<PlannedJob> all, IReadOnlyList<ExecutableTarget> graph,
        IReadOnlyList<ParameterInfo> parameters, CiContext context, bool handsOnImages, DispatchInputs dispatch)
    {
        var stage = job.Stage;
        var byName = graph.ToDictionary(t => t.Name);
        var usesTools = JobPlanner.Closure(job.Targets.Select(n => byName[n])).Any(t => t.Tools.Count > 0);
        var upstream = Ancestors(job, all).ToList();
        var images = ImagesOf(job, byName);
        var run = RunStep(job, images, byName);
        var access = JobAccess.For(run.Targets, stage.Environment, stage.FromEnvironment, context, parameters);
        var environmentArgs = stage.Environment is { } e ? $" --environment {e}" : "";

        List<Step> steps =
        [
            new("Check out") { Uses = "actions/checkout@v4", With = [("persist-credentials", "false")] },
            new("Set up .NET") { Uses = "actions/setup-dotnet@v4", With = [("dotnet-version", DotNetVersion)] },
            // The runner's user restores packages to its home; a job whose targets run as root restores to root's.
            .. stage.RunsAsRoot ? [] : new Step[] { new("Cache NuGet packages")
            {
                Uses = "actions/cache@v4",
                With = [("path", "~/.nuget/packages"),
                        ("key", "nuget-${{ runner.os }}-${{ hashFiles('**/*.csproj', 'Directory.Build.props') }}"),
                        ("restore-keys", "nuget-${{ runner.os }}-")],
            } },
            // Keyed by the content build.sh's stamp reads (build/**, Directory.Build.props) and by build.sh, which computes it:
            // a fresh clone restoring this entry computes the stamp the entry holds, whatever its files' mtimes.
            new("Cache the compiled build")
            {
                Uses = "actions/cache@v4",
                With = [("path", "build/bin\nbuild/obj\n.nuke/temp/build.stamp\n"),
                        ("key", "build-${{ runner.os }}-${{ hashFiles('build/**', 'Directory.Build.props', 'build.sh') }}")],
            },
        ];
        if (upstream.Count > 0 && stage.HandsOnArtifacts)
            steps.Add(new("Download artifacts of " + string.Join(", ", upstream))
            {
                Uses = "actions/download-artifact@v4",
                With = [("pattern", ArtifactName(upstream.Count == 1 ? upstream[0] : "{" + string.Join(',', upstream) + "}")),
                        ("merge-multiple", "true"), ("path", "artifacts")],
            });
        if (images == ImageRole.Loads)
            steps.Add(new("Download the images (archives named by input hash)")
            {
                Uses = "actions/download-artifact@v4",
                With = [("name", ImagesArtifact), ("path", ImagesFolder)],
            });
        if (usesTools || stage.InstallsAllTools)
            steps.Add(
                new(stage.InstallsAllTools ? "Install prerequisites" : "Install the tools of " + string.Join(", ", run.Targets))
                {
                    // Installing packages needs root; the chown gives the workspace back to the runner's user.
                    Run = $"{AsRoot}{PrerequisitesCommand(run, byName, stage.InstallsAllTools)}\n{GiveBack}\n",
                }
            );
        if (images == ImageRole.Bakes)
        {
            steps.Add(
                new("Compute the images' input hashes")
                {
                    Id = HashesStep,
                    Run = $"./build.sh {HashesTarget}{environmentArgs}",
                    Env = SecretEnv(
                        JobAccess
                            .For(JobPlanner.Closure([byName[HashesTarget]]).Select(t => t.Name).ToList(), null, null, context, parameters)
                            .Secrets
                    ),
                }
            );
            foreach (var image in context.Images)
            {
                var hash = $"${{{{ steps.{HashesStep}.outputs.{image} }}}}";
                var archive = $"{ImagesFolder}/{ImageArchives.ArchiveName(image, hash)}";
                steps.Add(new($"Restore the image {image} of this input hash")
                {
                    Uses = "actions/cache@v4",
                    With = [("path", $"{archive}\n{archive}.sha256\n"), ("key", $"image-{image}-{hash}")],
                });
            }
        }
        foreach (var file in access.FileSecrets)
            steps.Add(
                new($"Write {file} to a file")
                {
                    Env = [(file, Secret(file))],
                    Run =
                        $"umask 077\nprintf '%s\\n' \"${file}\" > \"$RUNNER_TEMP/{file}\"\necho \"{file}=$RUNNER_TEMP/{file}\" >> "
                        + $"\"$GITHUB_ENV\"\n",
                }
            );
        if (access.Aws is { } aws)
            steps.Add(new("Assume the AWS role (OIDC, no stored keys)")
            {
                Uses = "aws-actions/configure-aws-credentials@v4",
                With = [("role-to-assume", aws.Role), ("aws-region", aws.Region)],
            });
        if (access.Gcp is { } gcp)
            steps.Add(
                new("Authenticate to GCP (workload identity federation)")
                {
                    Id = "gcp",
                    Uses = "google-github-actions/auth@v2",
                    With =
                    [
                        ("workload_identity_provider", gcp.Provider),
                        ("service_account", gcp.ServiceAccount),
                        ("token_format", "access_token"),
                    ],
                }
            );
        steps.Add(
            new(string.Join(", ", run.Targets))
            {
                Id = TargetsStep,
                Run = (stage.RunsAsRoot ? AsRoot : "") + (dispatch.PassesParameters ? DispatchSelection.Command(run.Command) : run.Command),
                Env =
                [
                    .. SecretEnv(access.Secrets),
                    .. access.Variables.Select(v => (v, $"${{{{ vars.{v} }}}}")),
                    .. access.Gcp is null ? [] : new[] { (EnvironmentCredentials.GcpToken, "${{ steps.gcp.outputs.access_token }}") },
                    .. stage.AllowedTestSkips.Count > 0
                        ? new[] { (AllowedSkipsVariable, string.Join("\n", stage.AllowedTestSkips) + "\n") }
                        : [],
                    .. stage.Env,
                    .. dispatch.PassesParameters
                        ? new[] { (DispatchSelection.ParametersVariable, $"${{{{ inputs.{DispatchSelection.ParametersInput} }}}}") }
                        : [],
                ],
            }
        );
        if (stage.RunsAsRoot)
            steps.Add(new("Give the workspace back to the runner's user")
            {
                If = "always()",
                Run = GiveBack,
            });
        if (images == ImageRole.Bakes && handsOnImages)
            steps.Add(new("Upload the images")
            {
                Uses = "actions/upload-artifact@v4",
                With = [("name", ImagesArtifact), ("path", ImagesFolder + "/"), ("if-no-files-found", "error"),
                        ("compression-level", "0"), ("overwrite", "true")],
            });
        if (stage.HandsOnArtifacts)
            steps.Add(new("Upload artifacts")
            {
                If = "always()", // a failed job's artifacts (logs, reports) are what one looks at
                Uses = "actions/upload-artifact@v4",
                With = [("name", ArtifactName(stage.Id)), ("path", $"artifacts/\n!{ImagesFolder}/\n"), ("if-no-files-found", "ignore")],
            });

        var scopes = stage
            .WriteScopes.Concat(access.Aws is not null || access.Gcp is not null ? ["id-token"] : [])
            .Order(StringComparer.Ordinal);
        var gitHubEnvironment = stage.GitHubEnvironment
            ?? (stage.IsDeployment || access.UsesEnvironmentCredentials ? stage.Environment : null);
        return new Job(stage.Id, stage.Name, steps)
        {
            Needs = job.Needs,
            If = dispatch.Selecting is { } selecting ? DispatchSelection.Condition(stage.Condition, selecting[stage.Id]) : stage.Condition,
            Environment = gitHubEnvironment,
            Concurrency = stage.IsDeployment ? new Concurrency($"deploy-{stage.Environment}", "false") : null,
            Permissions = [("contents", "read"), .. scopes.Select(s => (s, "write"))],
        };
    }

    /// <summary>Runs a step's command as root with the step's environment (its PATH too, which sudo's secure_path would
    /// replace: setup-dotnet's dotnet stays the one found) and root's own home.</summary>
    public const string AsRoot = "sudo --preserve-env --set-home env \"PATH=$PATH\" ";
    /// <summary>What a step as root left in the workspace goes back to the runner's user.</summary>
    public const string GiveBack = "sudo chown -R \"$(id -u):$(id -g)\" .";

    /// <summary>The step variable that lists the test skip reasons a job accepts (CheckTestSkips reads it).</summary>
    public const string AllowedSkipsVariable = "ALLOWED_TEST_SKIPS";

    public static string Secret(string name) => $"${{{{ secrets.{name} }}}}";

    private static IReadOnlyList<(string, string)> SecretEnv(IReadOnlyList<string> names) => names.Select(n => (n, Secret(n))).ToList();

    /// <summary>
    /// <c>./build.sh Prerequisites</c> installs every declared tool; with the job's targets planned and all of
    /// them skipped it installs only the tools of that plan, and runs nothing else.
    /// </summary>
    public static string PrerequisitesCommand(PlannedJob job, IReadOnlyDictionary<string, ExecutableTarget> byName, bool allTools)
    {
        if (allTools) return $"./build.sh {JobPlanner.SetupTarget}";
        var plan = JobPlanner.TopologicalOrder(JobPlanner.Closure(job.Targets.Select(n => byName[n])))
            .Where(t => t.Name != JobPlanner.SetupTarget).Select(t => t.Name);
        return $"./build.sh {JobPlanner.SetupTarget} {string.Join(' ', job.Targets)} --skip {string.Join(' ', plan)}";
    }

    public static string ArtifactName(string jobId) => $"artifacts-{jobId}";

    /// <summary>Every job this one waits for, directly or not, in declaration order.</summary>
    private static IEnumerable<string> Ancestors(PlannedJob job, IReadOnlyList<PlannedJob> all)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(job.Needs);
        while (stack.TryPop(out var id))
            if (seen.Add(id))
                foreach (var n in all.First(j => j.Stage.Id == id).Needs) stack.Push(n);
        return all.Select(j => j.Stage.Id).Where(seen.Contains);
    }
}
