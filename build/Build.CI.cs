using Pipeline.CI;
using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Notifications;
using Pipeline.Tools.Process;
using Pipeline.Tools.Slack;

namespace Pipeline;

/// <summary>The same graph as GitHub Actions jobs, plus a nightly cluster test; notifications to GitHub and Slack.</summary>
partial class Build
{
    [Parameter("GitHub token for deployments and commit statuses (in Actions: the job's GITHUB_TOKEN).", EnvironmentVariable = "GITHUB_TOKEN")]
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

    /// <summary>pipeline.yml: every push to main and pull request, and by hand with an environment to deploy.</summary>
    internal WorkflowDeclaration PipelineWorkflow => new("pipeline.yml", "Pipeline",
        new WorkflowTriggers
        {
            PushBranches = ["main"],
            PullRequestBranches = ["main"],
            Dispatch = [new("environment", "The environment to deploy to (production goes through staging first).", ["staging", "production"], "staging")],
        },
        [
            new("tests", "Tests", [nameof(Test)]) { ReceivesSecrets = false, InstallsAllTools = true },
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
            new("deploy-production", "Deploy to production", [nameof(Certificates), nameof(Deploy)])
            {
                Environment = "production", IsDeployment = true, After = ["deploy-staging"],
                Condition = "github.event_name == 'push' || inputs.environment == 'production'", WriteScopes = ["deployments", "statuses"],
            },
        ])
    {
        Concurrency = new("pipeline-${{ github.ref }}", "${{ github.event_name == 'pull_request' }}"),
    };

    /// <summary>nightly.yml: the cluster test and the backup check every night; a failure is posted to Slack.</summary>
    internal WorkflowDeclaration NightlyWorkflow => new("nightly.yml", "Nightly",
        new WorkflowTriggers { Schedules = ["17 3 * * *"], Dispatch = [] },
        [
            new("cluster-test", "Cluster test", [nameof(ClusterTest)]) { WriteScopes = ["statuses"] },
            new("verify-backups", "Verify backups", [nameof(VerifyBackups)]) { Environment = "production" },
            new("report", "Report failures", [nameof(Notify)])
            {
                After = ["cluster-test", "verify-backups"], Condition = "failure()", HandsOnArtifacts = false,
                Env = [("NOTIFY_MESSAGE", ":x: Nightly failed (cluster test: ${{ needs.cluster-test.result }}, backups: ${{ needs.verify-backups.result }}): ${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}")],
            },
        ])
    {
        Concurrency = new("nightly", "false"),
    };

    internal IReadOnlyList<(string FileName, string Content)> RenderWorkflows() =>
        WorkflowFiles.Render([PipelineWorkflow, NightlyWorkflow], AllTargets, ParameterInfo.Discover(GetType()));

    Target GenerateCI => _ => _
        .Description("Write .github/workflows/pipeline.yml and nightly.yml from the target graph.")
        .Needs(Tool.Npm("action-validator", "@action-validator/cli"))
        .Executes(async ct =>
        {
            var files = await WorkflowFiles.WriteAsync(RootDirectory, RenderWorkflows(), ct);
            foreach (var file in files)
                await Cli.Wrap("action-validator").WithArguments([file.RelativeTo(RootDirectory)])
                    .WithWorkingDirectory(RootDirectory).WithLog().ExecuteAsync(ct);
            Log.Information($"Validated {files.Count} workflows with action-validator; commit {WorkflowFiles.Folder}/.");
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
                .WithValidation(CommandValidation.None).ExecuteBufferedAsync(ct);
            return result.ExitCode == 0 ? result.StandardOutput.Trim() : "unknown";
        }
        catch (CommandException) { return "unknown"; } // notifications never fail the operation they report on
    }
}
