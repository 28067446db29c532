using Pipeline.Engine;
using System.Globalization;
using System.Text.Json;

namespace Pipeline.Tools.Prometheus;

/// <summary>One value of an instant query: the series' labels (none for a scalar) and its value (NaN and ±Inf as Prometheus
/// gives them).</summary>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary><c>{server="web-canary-1", code="5xx"}</c>, without <c>__name__</c>; empty for a scalar.</summary>
    public string LabelText =>
        Labels.Count == 0 ? "" : "{" + string.Join(", ", Labels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Where(l => l.Key != "__name__").Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}

/// <summary>
/// The <c>data</c> of an instant query (<c>/api/v1/query</c>): an instant vector (zero or more series, one value each) or a
/// scalar (one value). A range vector or a string is refused: a query that is judged must give a number per series.
/// </summary>
public sealed record PrometheusQueryResult(string ResultType, IReadOnlyList<PrometheusSample> Samples)
{
    /// <summary>No series at all (a selector matching nothing yet), or only NaN (a ratio of zero requests).</summary>
    public bool IsEmpty => Samples.All(s => double.IsNaN(s.Value));

    /// <summary>Reads the <c>data</c> object of a successful answer; <paramref name="query"/> names it in an error.</summary>
    public static PrometheusQueryResult Parse(JsonElement data, string query)
    {
        var type = data.GetProperty("resultType").GetString() ?? "";
        var result = data.GetProperty("result");
        return type switch
        {
            "vector" => new(type, result.EnumerateArray().Select(s => new PrometheusSample(Labels(s), Value(s.GetProperty("value"))))
                .ToList()),
            "scalar" => new(type, [new PrometheusSample(new Dictionary<string, string>(), Value(result))]),
            _ => throw new PipelineException(
                $"Prometheus query '{query}' returned a {type}, not a number per series; "
                + "make it an instant vector or a scalar (e.g. drop the [5m] range, or wrap it in rate(...[5m]))"),
        };
    }

    private static IReadOnlyDictionary<string, string> Labels(JsonElement series) =>
        series.TryGetProperty("metric", out var metric)
            ? metric.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();

    /// <summary>A <c>[timestamp, "value"]</c> pair; Prometheus writes the value as a string ("NaN", "+Inf" included).</summary>
    private static double Value(JsonElement pair)
    {
        var text = pair[1].GetString() ?? "NaN";
        return text switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }
}
