using Pipeline.Deploying.Rolling;

namespace Pipeline.Monitoring;

/// <summary>
/// Deploy's freshness metrics, per group of the environment (<c>deploy-&lt;env&gt;.prom</c>): when it last deployed,
/// whether that succeeded or rolled back, the rollbacks so far, and what runs (<c>pipeline_deploy_info</c>: the image).
/// The lock file (<c>deploy-lock-&lt;env&gt;.prom</c>) exists while a deploy of the environment runs: a run killed while
/// holding the lock leaves it, which is what DeployLockHeldPastTtl sees.
/// </summary>
public static class DeployMetrics
{
    public static readonly IReadOnlyList<MetricFamily> Families =
    [
        new(MetricNames.DeployLast, "Unix time the last deploy of the group finished."),
        new(MetricNames.DeploySucceeded, "1 when the last deploy of the group succeeded, 0 when it failed."),
        new(MetricNames.DeployRolledBack, "1 when the last deploy of the group rolled back."),
        new(MetricNames.DeployRollbacks, "Deploys of the group that rolled back, as counted on this machine.", "counter"),
        new(MetricNames.DeployInfo, "1, labelled with the image the group runs after its last deploy (after a rollback, the one it "
            + "went back to) and that deploy's id."),
    ];

    public static readonly IReadOnlyList<MetricFamily> LockFamilies =
    [
        new(MetricNames.DeployLockHeldSince, "Unix time the running deploy of the environment started (and took its lock)."),
    ];

    public static string File(string metricsDirectory, string environment) => Path.Combine(metricsDirectory, $"deploy-{environment}.prom");
    public static string LockFile(string metricsDirectory, string environment) =>
        Path.Combine(metricsDirectory, $"deploy-lock-{environment}.prom");

    public static IReadOnlyList<MetricSample> Samples(string environment, IEnumerable<DeployOutcome> outcomes, string? existing)
    {
        var samples = new List<MetricSample>();
        foreach (var o in outcomes.OrderBy(o => o.Plan.Group.Name, StringComparer.Ordinal))
        {
            var group = o.Plan.Group.Name;
            (string, string)[] labels = [("env", environment), ("group", group)];
            var rollbacks = TextfileMetrics.ValueOf(existing, MetricNames.DeployRollbacks, "group", group) ?? 0;
            samples.Add(new(MetricNames.DeployLast, labels, TextfileMetrics.UnixSeconds(o.FinishedAt)));
            samples.Add(new(MetricNames.DeploySucceeded, labels, o.Succeeded ? 1 : 0));
            samples.Add(new(MetricNames.DeployRolledBack, labels, o.RolledBack ? 1 : 0));
            samples.Add(new(MetricNames.DeployRollbacks, labels, rollbacks + (o.RolledBack ? 1 : 0)));
            samples.Add(new(MetricNames.DeployInfo, [.. labels, ("image", Running(o)), ("deploy_id", o.DeployId)], 1));
        }
        return samples;
    }

    /// <summary>What the group runs after the deploy: the rolled-out image, or after a rollback the image it replaced.</summary>
    private static string Running(DeployOutcome o) => o.RolledBack
        ? o.Plan.Changes.Where(c => c.Kind == Deploying.Planning.ChangeKind.Replace && c.From is not null)
            .Select(c => c.From!).FirstOrDefault() ?? o.Plan.Image
        : o.Plan.Image;

    public static void Write(string metricsDirectory, string environment, IReadOnlyList<DeployOutcome> outcomes)
    {
        var file = File(metricsDirectory, environment);
        TextfileMetrics.Write(file, Families, Samples(environment, outcomes, TextfileMetrics.Read(file)), "group");
    }

    public static void LockTaken(string metricsDirectory, string environment, DateTimeOffset since) =>
        TextfileMetrics.Write(LockFile(metricsDirectory, environment), LockFamilies,
            [new(MetricNames.DeployLockHeldSince, [("env", environment)], TextfileMetrics.UnixSeconds(since))], "env");

    public static void LockReleased(string metricsDirectory, string environment) =>
        System.IO.File.Delete(LockFile(metricsDirectory, environment));
}
