namespace Pipeline.Monitoring;

/// <summary>
/// The one-timestamp freshness metrics: ClusterTest's last pass (<c>cluster-test.prom</c>, the virtual cluster is no
/// environment) and Publish's last push per registry of the environment (<c>publish-&lt;env&gt;.prom</c>).
/// </summary>
public static class StepMetrics
{
    public static readonly IReadOnlyList<MetricFamily> ClusterTestFamilies =
        [new(MetricNames.ClusterTestLastPass, "Unix time ClusterTest last passed.")];

    public static readonly IReadOnlyList<MetricFamily> PublishFamilies =
        [new(MetricNames.PublishLastPush, "Unix time Publish last pushed the images to the registry.")];

    public static string ClusterTestFile(string metricsDirectory) => Path.Combine(metricsDirectory, "cluster-test.prom");
    public static string PublishFile(string metricsDirectory, string environment) =>
        Path.Combine(metricsDirectory, $"publish-{environment}.prom");

    public static void ClusterTestPassed(string metricsDirectory, DateTimeOffset at) =>
        TextfileMetrics.Write(ClusterTestFile(metricsDirectory), ClusterTestFamilies,
            [new(MetricNames.ClusterTestLastPass, [], TextfileMetrics.UnixSeconds(at))], "none");

    /// <param name="registries">The registries pushed to (an environment without registries saves archives: "archive").</param>
    public static void Published(string metricsDirectory, string environment, IEnumerable<string> registries, DateTimeOffset at) =>
        TextfileMetrics.Write(PublishFile(metricsDirectory, environment), PublishFamilies,
            registries.Order(StringComparer.Ordinal)
                .Select(r => new MetricSample(
                    MetricNames.PublishLastPush, [("env", environment), ("registry", r)], TextfileMetrics.UnixSeconds(at)))
                .ToList(),
            "registry");
}
