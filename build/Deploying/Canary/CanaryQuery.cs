using Pipeline.Tools.Prometheus;
using System.Globalization;

namespace Pipeline.Deploying.Canary;

/// <summary>
/// One PromQL check of an analysis (<c>rolling/analysis/&lt;name&gt;/queries</c>, as Argo Rollouts' AnalysisTemplate with a
/// Prometheus provider): the query, with <see cref="QueryPlaceholders"/> filled in, must give values within
/// [<see cref="Min"/>, <see cref="Max"/>]. Every series counts: the line names the worst one when there are several.
/// </summary>
/// <param name="Name">The check's name in the verdict line (<c>query error_ratio = 0.081 &gt; max 0.05: fail</c>).</param>
/// <param name="Query">PromQL, e.g. <c>sum(rate(haproxy_server_http_responses_total{proxy="{{backend}}",
/// server=~"{{canary}}",code="5xx"}[1m]))</c>.</param>
public sealed record CanaryQuery(string Name, string Query, double? Min, double? Max)
{
    /// <summary>Judges one evaluation; null when it has no data yet (no series, or only NaN: a ratio of no requests).</summary>
    public MetricVerdict? Judge(PrometheusQueryResult result)
    {
        var values = result.Samples.Where(s => !double.IsNaN(s.Value)).ToList();
        if (values.Count == 0) return null;
        var worst = values.MaxBy(Excess)!;
        var failed = Excess(worst) > 0;
        var value = Number(worst.Value);
        var series = values.Count > 1 ? $" ({worst.LabelText}, worst of {values.Count} series)" : "";
        var bound = (Min, Max) switch
        {
            ({ } min, _) when worst.Value < min => $"{value} < min {Number(min)}",
            (_, { } max) when worst.Value > max => $"{value} > max {Number(max)}",
            ({ } min, { } max) => $"{value} within [{Number(min)}, {Number(max)}]",
            ({ } min, null) => $"{value} >= min {Number(min)}",
            (null, { } max) => $"{value} <= max {Number(max)}",
            _ => value,
        };
        return new MetricVerdict($"query {Name}", failed, double.NaN, $"query {Name} = {bound}{series}: {(failed ? "fail" : "pass")}");
    }

    /// <summary>The line of a query that had no data by the end of the step's <c>max_wait</c>.</summary>
    public MetricVerdict NoData(TimeSpan waited) =>
        new($"query {Name}", true, double.NaN,
            $"query {Name}: no data within {CanaryJudge.Duration(waited)} (no series, or only NaN): fail");

    public override string ToString() => (Min, Max) switch
    {
        ({ } min, { } max) => $"{Name} in [{Number(min)}, {Number(max)}]",
        ({ } min, null) => $"{Name} >= {Number(min)}",
        (null, { } max) => $"{Name} <= {Number(max)}",
        _ => Name,
    };

    /// <summary>How far outside the bounds a value is (≤ 0 inside): the largest is the worst series.</summary>
    private double Excess(PrometheusSample s) => Math.Max(Min is { } min ? min - s.Value : double.NegativeInfinity,
        Max is { } max ? s.Value - max : double.NegativeInfinity);

    private static string Number(double value) =>
        double.IsInfinity(value) ? (value > 0 ? "+Inf" : "-Inf")
        : value != 0 && Math.Abs(value) < 0.0001 ? value.ToString("G3", CultureInfo.InvariantCulture)
        : value.ToString("0.####", CultureInfo.InvariantCulture);
}
