namespace Pipeline.Deploying.Canary;

public enum VerdictKind { Pass, Fail, Waiting }

/// <summary>One metric's comparison, as the line Deploy prints and journals.</summary>
public sealed record MetricVerdict(string Metric, bool Failed, double P, string Line);

/// <summary>
/// The judgement of one analysed step: waiting (too few samples yet), pass, or fail, with one line per metric
/// (<c>canary error rate 4.8% vs baseline 0.1% (…), p&lt;0.001: fail</c>).
/// </summary>
public sealed record CanaryVerdict(VerdictKind Kind, IReadOnlyList<MetricVerdict> Metrics, string Summary)
{
    public bool Failed => Kind == VerdictKind.Fail;

    /// <summary>The failing metrics' lines, or every line when none failed.</summary>
    public string Line =>
        Metrics.Count == 0 ? Summary : string.Join("; ", (Failed ? Metrics.Where(m => m.Failed) : Metrics).Select(m => m.Line));

    public static string FormatP(double p) =>
        p < 0.001 ? "p<0.001" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p={p:0.000}");
}
