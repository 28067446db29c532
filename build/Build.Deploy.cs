using Pipeline.Deploying;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Engine.Services;

namespace Pipeline;

/// <summary>Rolling deploys of published digests to the environment's instance groups.</summary>
partial class Build
{
    [Parameter("Plan or deploy only this instance group of the environment (default: all).", Name = "Group")]
    readonly string? DeployGroup;

    [Parameter("How long Deploy waits for another deployer's lock before refusing, e.g. 5m (default: refuse at once).")]
    readonly TimeSpan LockWait = TimeSpan.Zero;

    [Parameter("Unlock: the nonce of the lock to remove (printed by the refused deploy and in the lock file).")]
    readonly string? Force;

    [Parameter("Plan: exit 3 when something would change (0: nothing would, 1/2: failure, as always).")]
    readonly bool DetailedExitcode;

    [Parameter("Deploy: at most this many instances of a group out of traffic at once (caps the rolling batch).", Minimum = 1)]
    readonly int? MaxUnavailable;

    [Parameter("Deploy: switch each blue_green group (dns: records or HAProxy) back to its old colour while it is kept (no redeploy).")]
    readonly bool Rollback;

    /// <summary>Plan's exit code with --detailed-exitcode when a change is pending (Terraform's 2 is our usage error).</summary>
    public const int ChangesPendingExitCode = 3;

    const int LocalHaproxyRuntimePort = 25099;

    /// <summary>
    /// The local load balancer: HAProxy on 127.0.0.1:25080, runtime API on a unix socket and 127.0.0.1:25099. It owns that
    /// socket and those ports: Deploy starts it when a group's load balancer is one of them.
    /// </summary>
    LocalService Haproxy =>
        HaproxyService.Spec(new(TemporaryDirectory / "haproxy", LocalFrontendPort, LocalHaproxyRuntimePort, ["web"])) with
        {
            Addresses = HaproxyAddresses,
        };

    /// <summary>The local HAProxy's own addresses, apart from its spec (which writes haproxy.cfg when made).</summary>
    IReadOnlyList<OwnedAddress> HaproxyAddresses =>
        [
            OwnedAddress.UnixSocket(TemporaryDirectory / "haproxy" / "admin.sock"),
            OwnedAddress.Tcp(LocalHaproxyRuntimePort),
            OwnedAddress.Tcp(LocalFrontendPort),
        ];

    /// <summary>The runtime APIs of the environment's load balancers (sockets rooted as Deploy roots them); none without groups.</summary>
    IEnumerable<string> LoadBalancerEndpoints() =>
        EnvironmentFile.Exists && EnvironmentRoot.Optional("groups") is not null
            ? DeployDefinition.Groups.Select(g => g.LoadBalancer).OfType<LoadBalancerDefinition>()
                .Select(lb => lb.Socket is { } socket ? $"unix:{AbsolutePath.Parse(socket, RootDirectory)}" : lb.Address!)
            : [];

    /// <summary>Where deploys read images and leave outputs and journals.</summary>
    DeployLayout DeployLayout => DeployLayout.Of(RootDirectory, ArtifactsDirectory, TemporaryDirectory);

    EnvironmentDeployment? _deployDefinition;
    EnvironmentDeployment DeployDefinition => _deployDefinition ??= EnvironmentDeployment.From(EnvironmentRoot, EnvironmentName);

    Target Plan => _ => _
        .Description("Show, Terraform-style, what Deploy would change in each instance group; change nothing.")
        .After(Publish)
        .Executes(async ct =>
        {
            var plans = await new Deployment(DeployLayout, DeployDefinition, DeployGroup) { Records = RecordSwitch }.PlanAsync(ct);
            var dnsChanges = await PlanDnsAsync(ct);
            if (DetailedExitcode && (plans.Any(p => p.HasChanges) || dnsChanges)) SuccessExitCode = ChangesPendingExitCode;
        });

    Target Deploy => _ => _
        .Description("Roll the published images out to the environment's instance groups: batches, drain, health gates, rollback, lock.")
        .DependsOn(Publish)
        .After(ClusterTest, Certificates)
        .Needs(Tool.Apt("haproxy") /* the local load balancer */, Tool.Apt("git") /* the commit, for lead time */)
        .Executes(async ct =>
        {
            var definition = DeployDefinition;
            await LocalServices.StartIfOwnedAsync(HaproxyAddresses, () => Haproxy, LoadBalancerEndpoints(), ct);
            await using var notifications = await BeginNotifications("deploy", ct);
            var metrics = MetricsDirectory;
            Pipeline.Monitoring.DeployMetrics.LockTaken(metrics, EnvironmentName, DateTimeOffset.UtcNow);
            IReadOnlyList<DeployOutcome> outcomes;
            using var annotator = Pipeline.Monitoring.DeployAnnotator.Create(GrafanaSettings, GrafanaToken, Rollback);
            try
            {
                var layout = DeployLayout with { Commit = await Pipeline.Monitoring.DeliveryHistory.HeadAsync(RootDirectory, ct) };
                outcomes = await new Deployment(layout, definition, DeployGroup)
                {
                    Records = RecordSwitch,
                    Recorded = annotator is null ? null : annotator.AnnotateAsync,
                }
                    .DeployAsync(new DeployRequest(LockWait, new RolloutOptions(MaxUnavailable, Rollback: Rollback)), ct);
            }
            finally { Pipeline.Monitoring.DeployMetrics.LockReleased(metrics, EnvironmentName); }
            Pipeline.Monitoring.DeployMetrics.Write(metrics, EnvironmentName, outcomes);
            await WriteDeliveryMetricsAsync(ct);
            foreach (var outcome in outcomes.Where(o => o.Succeeded)) Log.Information(outcome.Message);
            if (outcomes.FirstOrDefault(o => !o.Succeeded) is { } failed)
            {
                await notifications.FailedAsync(failed.Message, ct);
                throw new PipelineException(failed.Message);
            }
            await notifications.SucceededAsync(ct);
        });

    Target Unlock => _ => _
        .Description("Remove a stale deploy lock (--force with its nonce).")
        .Requires(() => Force)
        .Executes(async ct =>
        {
            var holder = await new Deployment(DeployLayout, DeployDefinition).UnlockAsync(Force!, ct);
            Log.Warning($"Removed the deploy lock of {EnvironmentName} held by {holder.Describe}.");
        });
}
