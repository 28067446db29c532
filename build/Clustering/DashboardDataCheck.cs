using Pipeline.Monitoring;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipeline.Clustering;

/// <summary>
/// The group's Grafana dashboard (as the Monitoring target renders it) against what the cluster's Prometheus really
/// has: every metric a panel's query names is among Prometheus' metric names (<c>/api/v1/label/__name__/values</c>),
/// and every query returns at least one series. A panel over a metric nothing exports fails here, not in Grafana.
/// </summary>
public static partial class DashboardDataCheck
{
    public const string Name = "every dashboard panel's query has data in Prometheus";

    public static async Task<CheckResult> RunAsync(ClusterPrometheus prometheus, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var monitoring = prometheus.Monitoring;
        var panels = GrafanaDashboard.Panels(monitoring.Definition, monitoring.MonitoredGroup(null));
        var known = await prometheus.Client.MetricNamesAsync(ct);
        var problems = new List<string>();
        var queries = 0;
        foreach (var panel in panels)
            foreach (var (expression, _) in panel.Queries)
            {
                queries++;
                var missing = MetricsOf(expression).Where(n => !known.Contains(n)).ToList();
                if (missing.Count > 0) problems.Add($"{panel.Title}: Prometheus has no {string.Join(", ", missing)}");
                else if (await prometheus.Client.SeriesCountAsync(expression, ct) == 0)
                    problems.Add($"{panel.Title}: `{expression}` returns no series");
            }
        return problems.Count == 0
            ? new CheckResult(Name, "monitoring", true, watch.Elapsed,
                $"{queries} queries of {panels.Count} panels ({string.Join(", ", panels.Select(p => p.Title))}) of the "
                + $"{monitoring.Group} dashboard return series; {known.Count} metric names scraped")
            : new CheckResult(Name, "monitoring", false, watch.Elapsed, string.Join("; ", problems));
    }

    /// <summary>The metric names a PromQL expression selects (each selector <c>name{…}</c>).</summary>
    public static IReadOnlyList<string> MetricsOf(string expression) =>
        [.. Selector().Matches(expression).Select(m => m.Groups[1].Value).Distinct()];

    [GeneratedRegex(@"([A-Za-z_:][A-Za-z0-9_:]*)\{")]
    private static partial Regex Selector();
}
