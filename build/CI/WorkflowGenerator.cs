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

    public static Workflow Generate(WorkflowDeclaration declaration, IReadOnlyList<ExecutableTarget> graph, IReadOnlyList<ParameterInfo> parameters)
    {
        var planned = JobPlanner.Plan(graph, declaration.Stages);
        var secrets = parameters.Where(p => p.IsSecret)
            .Select(p => (p.EnvironmentVariable, $"${{{{ secrets.{p.EnvironmentVariable} }}}}"))
            .OrderBy(p => p.EnvironmentVariable, StringComparer.Ordinal).ToList();
        var jobs = planned.Select(job => ToJob(job, planned, graph, secrets)).ToList();
        return new Workflow(declaration.Name, declaration.On, jobs) { Concurrency = declaration.Concurrency };
    }

    private static Job ToJob(PlannedJob job, IReadOnlyList<PlannedJob> all, IReadOnlyList<ExecutableTarget> graph,
        IReadOnlyList<(string, string)> secrets)
    {
        var stage = job.Stage;
        var byName = graph.ToDictionary(t => t.Name);
        var usesTools = JobPlanner.Closure(job.Targets.Select(n => byName[n])).Any(t => t.Tools.Count > 0);
        var upstream = Ancestors(job, all).ToList();

        List<Step> steps =
        [
            new("Check out") { Uses = "actions/checkout@v4" },
            new("Set up .NET") { Uses = "actions/setup-dotnet@v4", With = [("dotnet-version", DotNetVersion)] },
            new("Cache NuGet packages")
            {
                Uses = "actions/cache@v4",
                With = [("path", "~/.nuget/packages"),
                        ("key", "nuget-${{ runner.os }}-${{ hashFiles('**/*.csproj', 'Directory.Build.props') }}"),
                        ("restore-keys", "nuget-${{ runner.os }}-")],
            },
            new("Cache the compiled build")
            {
                Uses = "actions/cache@v4",
                With = [("path", "build/bin\nbuild/obj\n.nuke/temp/build.stamp\n"),
                        ("key", "build-${{ runner.os }}-${{ hashFiles('build/**', 'Directory.Build.props') }}")],
            },
        ];
        if (upstream.Count > 0 && stage.HandsOnArtifacts)
            steps.Add(new("Download artifacts of " + string.Join(", ", upstream))
            {
                Uses = "actions/download-artifact@v4",
                With = [("pattern", ArtifactName(upstream.Count == 1 ? upstream[0] : "{" + string.Join(',', upstream) + "}")),
                        ("merge-multiple", "true"), ("path", "artifacts")],
            });
        if (usesTools || stage.InstallsAllTools)
            steps.Add(new(stage.InstallsAllTools ? "Install prerequisites" : "Install the tools of " + string.Join(", ", job.Targets))
            {
                // Installing packages needs root; the chown gives the workspace back to the runner's user.
                Run = $"sudo --preserve-env --set-home {PrerequisitesCommand(job, byName, stage.InstallsAllTools)}\nsudo chown -R \"$(id -u):$(id -g)\" .\n",
            });
        steps.Add(new(string.Join(", ", job.Targets))
        {
            Run = job.Command,
            Env = [.. stage.ReceivesSecrets ? secrets : [], .. stage.Env],
        });
        if (stage.HandsOnArtifacts)
            steps.Add(new("Upload artifacts")
            {
                If = "always()", // a failed job's artifacts (logs, reports) are what one looks at
                Uses = "actions/upload-artifact@v4",
                With = [("name", ArtifactName(stage.Id)), ("path", "artifacts/"), ("if-no-files-found", "ignore")],
            });

        return new Job(stage.Id, stage.Name, steps)
        {
            Needs = job.Needs,
            If = stage.Condition,
            Environment = stage.IsDeployment ? stage.Environment : null,
            Concurrency = stage.IsDeployment ? new Concurrency($"deploy-{stage.Environment}", "false") : null,
            Permissions = stage.WriteScopes.Count == 0 ? null
                : [("contents", "read"), .. stage.WriteScopes.Order(StringComparer.Ordinal).Select(s => (s, "write"))],
        };
    }

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
