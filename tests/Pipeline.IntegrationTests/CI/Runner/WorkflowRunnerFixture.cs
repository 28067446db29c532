using CliWrap;
using Pipeline.IntegrationTests.Deploying.Cloud;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// One local runner for the generated workflows of this commit, with the stand-ins it hands to jobs (a fake of the GitHub
/// REST API and of a Slack webhook, both fakes of SaaS that cannot be reached from here), and the runs the tests read:
/// first <c>pipeline.yml</c> on a push to main, so the images job bakes on an empty cache and every job runs: the publish
/// job pushes to ghcr.io (<see cref="RegistryStandIn"/>, by its public name) with the staging environment's
/// <c>GHCR_TOKEN</c>, deploy-staging deploys to staging's hosts (<see cref="StagingHostsStandIn"/>) with its
/// <c>STAGING_SSH_KEY</c>, and deploy-production promotes staging's digests to ECR and rolls production's cloud groups
/// (<see cref="ProductionCloudStandIn"/>) with the role its OIDC step assumes, under the lock in production's bucket
/// (<see cref="ProductionBackupsStandIn"/>). The tests job runs the suite as root, narrowed
/// (<see cref="SuiteNarrowing"/>). Then, when a test asks, a dispatch to production with unchanged inputs, and
/// scheduled <c>nightly.yml</c> runs: one whose backup jobs reach production's bucket with the production-backups
/// environment's keys, and one whose production-backups environment holds no keys. All of them restore the images the
/// first run cached.
/// Every step runs as a user of its own (<see cref="RunnerUser"/>), not root, with passwordless sudo, as on a hosted runner.
/// The compiled build's cache entry is warmed from this checkout (<see cref="LocalRunner.WarmCacheAsync"/>): every job's
/// ./build.sh then starts the executable this test run started, instead of each compiling it for minutes.
/// </summary>
public sealed class WorkflowRunnerFixture : IAsyncLifetime
{
    public const string Token = "ghs_runnerstandin0000000000000000000000";
    /// <summary>The staging environment's GHCR_TOKEN, which the ghcr.io stand-in accepts for <see cref="GhcrUser"/>.</summary>
    public const string GhcrToken = "ghp_runnerstandin000000000000000000000";
    public const string GhcrUser = "acme-bot";

    public FakeGitHubApi GitHub { get; } = new(Token, "acme/pipeline");
    public FakeSlackWebhook Slack { get; } = new();
    public string Root { get; } = Directory.CreateTempSubdirectory("pipeline-runner-").FullName;
    public string Commit { get; private set; } = "";
    public LocalRunner Runner { get; private set; } = null!;
    public IReadOnlyDictionary<string, JobResult> First { get; private set; } = new Dictionary<string, JobResult>();
    private readonly Lazy<Task<IReadOnlyDictionary<string, JobResult>>> _production;
    private readonly Lazy<Task<IReadOnlyDictionary<string, JobResult>>> _nightly;
    private readonly Lazy<Task<IReadOnlyDictionary<string, JobResult>>> _nightlyWithoutKeys;
    private ProductionBackupsStandIn? _backups;
    public RegistryStandIn Ghcr { get; private set; } = null!;
    public StagingHostsStandIn Staging { get; private set; } = null!;
    public ProductionCloudStandIn Production { get; private set; } = null!;
    /// <summary>The steps' user on every machine, as on a hosted runner: not root, with passwordless sudo.</summary>
    public RunnerUser? StepUser { get; private set; }

    public WorkflowRunnerFixture()
    {
        _production = new(() =>
            Runner.RunAsync(Pipeline(), RunnerEvent.Dispatch(("environment", "production")), Commit, CancellationToken.None));
        _nightly = new(() => Runner.RunAsync(Nightly(), RunnerEvent.Schedule, Commit, CancellationToken.None));
        _nightlyWithoutKeys = new(() => Runner.RunAsync(Nightly(), RunnerEvent.Schedule, Commit,
            Runner.Settings with { EnvironmentSecrets = new Dictionary<string, IReadOnlyDictionary<string, string>>() },
            CancellationToken.None));
    }

    /// <summary>A dispatch to production (every target, through staging) after the push, with the same inputs.</summary>
    public Task<IReadOnlyDictionary<string, JobResult>> DispatchToProductionAsync() => _production.Value;
    public Task<IReadOnlyDictionary<string, JobResult>> NightlyAsync() => _nightly.Value;
    public Task<IReadOnlyDictionary<string, JobResult>> NightlyWithoutBucketKeysAsync() => _nightlyWithoutKeys.Value;

    public static string WorkflowPath(string file) => Path.Combine(Packaging.RepositoryRoot.Path, ".github", "workflows", file);

    private static Workflow Pipeline() => Workflow.Load(WorkflowPath("pipeline.yml"));

    private static Workflow Nightly() => Workflow.Load(WorkflowPath("nightly.yml"));

    public async Task InitializeAsync()
    {
        Commit = (await Cli.Wrap("git").WithArguments(["-C", Packaging.RepositoryRoot.Path, "rev-parse", "HEAD"]).RunBufferedAsync())
            .StandardOutput.Trim();
        // Machines' folders are under Root: the steps' user passes through it.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        StepUser = await RunnerUser.CreateAsync("plrunner", CancellationToken.None);
        _backups = await ProductionBackupsStandIn.StartAsync(Path.Combine(Root, "production-backups"), CancellationToken.None);
        Ghcr = await RegistryStandIn.StartAsync(Path.Combine(Root, "ghcr"), "ghcr.io", GhcrUser, GhcrToken, CancellationToken.None);
        Production = await ProductionCloudStandIn.StartAsync(Path.Combine(Root, "production"), CancellationToken.None);
        var https = new HttpsStandIns(Path.Combine(Root, "https"), [_backups.StandIn, Ghcr.StandIn, .. Production.StandIns]);
        Staging = await StagingHostsStandIn.StartAsync(Path.Combine(Root, "staging"), https, CancellationToken.None);
        foreach (var host in Staging.Hosts) await host.LogInAsync("ghcr.io", GhcrUser, GhcrToken, CancellationToken.None);
        Runner = new LocalRunner(
            new RunnerSettings(Packaging.RepositoryRoot.Path, Root)
            {
                Secrets = new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token, ["SLACK_WEBHOOK"] = Slack.WebhookUrl },
                MachineEnvironment = new Dictionary<string, string> { ["GITHUB_API_URL"] = GitHub.Url },
                EnvironmentSecrets = new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    ["production-backups"] = ProductionBackupsStandIn.Secrets,
                    ["staging"] = new Dictionary<string, string>(Staging.Secrets) { ["GHCR_TOKEN"] = GhcrToken },
                    // Promote reads staging's registry and writes production's.
                    ["production"] = new Dictionary<string, string>
                    {
                        ["GHCR_TOKEN"] = GhcrToken,
                        ["ECR_PASSWORD"] = ProductionCloudStandIn.EcrPassword,
                    },
                },
                Variables = new Dictionary<string, string>
                {
                    ["GHCR_USER"] = GhcrUser,
                    ["ECR_USER"] = ProductionCloudStandIn.EcrUser,
                },
                AwsRoleCredentials = ProductionCloudStandIn.RoleVariables,
                GcpAccessToken = GcpCloudFake.Token,
                ForwardedPorts = [new Uri(GitHub.Url).Port, new Uri(Slack.WebhookUrl).Port],
                Https = https,
                MappedPorts = Staging.MappedPorts,
                Reachable = [StagingHostsStandIn.Network],
                RewriteRun = new SuiteNarrowing().Rewrite,
                StepUser = StepUser,
            }
        );
        var pipeline = Pipeline();
        await Runner.WarmCacheAsync(pipeline, "Cache the compiled build", Commit, CancellationToken.None);
        First = await Runner.RunAsync(pipeline, RunnerEvent.Push, Commit, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        GitHub.Dispose();
        Slack.Dispose();
        if (_backups is not null) await _backups.DisposeAsync();
        if (Ghcr is not null) await Ghcr.DisposeAsync();
        if (Staging is not null) await Staging.DisposeAsync();
        if (Production is not null) await Production.DisposeAsync();
        await Cli.Wrap("rm").WithArguments(["-rf", "--one-file-system", Root]).RunBufferedAsync();
        if (StepUser is not null) await StepUser.RemoveAsync(CancellationToken.None);
    }
}

/// <summary>The runs of one <see cref="WorkflowRunnerFixture"/> shared by the workflow tests (one bake, one cache).</summary>
[CollectionDefinition(Name)]
public sealed class WorkflowRunnerCollection : ICollectionFixture<WorkflowRunnerFixture>
{
    public const string Name = "workflow runner";
}
