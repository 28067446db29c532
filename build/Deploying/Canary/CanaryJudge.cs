using System.Globalization;

namespace Pipeline.Deploying.Canary;

/// <summary>
/// Judges a canary against its fresh baseline, Kayenta-style but with exact tests: the error rate by Fisher's exact test
/// and the response times by the Mann-Whitney U test, both one-sided (only a worse canary fails) at the analysis'
/// significance level, each with its margin, so that a difference too small to matter never fails however many requests
/// make it significant. The latency margin is a factor: the canary's times are divided by the tolerance and tested for being
/// larger than the baseline's, so the p-value is that of "more than ×tolerance slower", and the line shows the medians' ratio
/// beside it. Pure: the samples come in, a verdict goes out.
/// </summary>
public static class CanaryJudge
{
    public static CanaryVerdict Judge(SampleSet samples, CanaryAnalysis analysis, bool final = false)
    {
        int canary = samples.Canary.Count, baseline = samples.Baseline.Count;
        var counts = $"canary {canary}, baseline {baseline} requests (at least {analysis.MinSamples} each)";
        if (canary < analysis.MinSamples || baseline < analysis.MinSamples)
            return final
                ? new CanaryVerdict(VerdictKind.Fail, [], $"too few requests to judge within {Duration(analysis.MaxWait)}: {counts}: fail")
                : new CanaryVerdict(VerdictKind.Waiting, [], $"waiting for requests: {counts}");
        var metrics = new[] { ErrorRate(samples, analysis), Latency(samples, analysis) }.OfType<MetricVerdict>().ToList();
        var failed = metrics.Any(m => m.Failed);
        return new CanaryVerdict(failed ? VerdictKind.Fail : VerdictKind.Pass, metrics, failed ? "fail" : "pass");
    }

    /// <summary>
    /// Adds the analysis' PromQL lines to a passing verdict on the samples (a failing or waiting one stands as it is). A query
    /// without data keeps the step waiting until <paramref name="final"/>, when it fails as too few samples do.
    /// </summary>
    public static CanaryVerdict WithQueries(CanaryVerdict samples, IReadOnlyList<QueryEvaluation> queries, CanaryAnalysis analysis,
        bool final)
    {
        if (samples.Kind != VerdictKind.Pass || queries.Count == 0) return samples;
        var judged = queries.Select(q => (q.Query, Verdict: q.Query.Judge(q.Result))).ToList();
        var missing = judged.Where(j => j.Verdict is null).Select(j => j.Query.Name).ToList();
        if (missing.Count > 0 && !final)
            return new CanaryVerdict(VerdictKind.Waiting, [], $"waiting for data of query {string.Join(", ", missing)}");
        var metrics = samples.Metrics.Concat(judged.Select(j => j.Verdict ?? j.Query.NoData(analysis.MaxWait))).ToList();
        var failed = metrics.Any(m => m.Failed);
        return new CanaryVerdict(failed ? VerdictKind.Fail : VerdictKind.Pass, metrics, failed ? "fail" : "pass");
    }

    private static MetricVerdict ErrorRate(SampleSet s, CanaryAnalysis a)
    {
        int cf = s.CanaryFailed, bf = s.BaselineFailed, cn = s.Canary.Count, bn = s.Baseline.Count;
        double cr = (double)cf / cn, br = (double)bf / bn;
        var p = FisherExactTest.GreaterP(cf, cn, bf, bn);
        var significant = p < a.Significance;
        var failed = significant && cr - br > a.ErrorBudget;
        var why = significant && !failed ? $", within the budget of +{Percent(a.ErrorBudget)}" : "";
        return new MetricVerdict("error rate", failed, p,
            $"canary error rate {Percent(cr)} vs baseline {Percent(br)} ({cf}/{cn} vs {bf}/{bn}, Fisher), "
            + $"{CanaryVerdict.FormatP(p)}{why}: {(failed ? "fail" : "pass")}");
    }

    private static MetricVerdict? Latency(SampleSet s, CanaryAnalysis a)
    {
        var canary = SampleSet.Latencies(s.Canary);
        var baseline = SampleSet.Latencies(s.Baseline);
        if (canary.Count < 20 || baseline.Count < 20) return null; // nothing answered enough to rank: the error rate says it
        var scaled = canary.Select(v => v / a.LatencyTolerance).ToList();
        var test = MannWhitneyTest.Greater(scaled, baseline);
        var failed = test.P < a.Significance;
        double cm = Median(canary), bm = Median(baseline);
        var ratio = bm > 0 ? string.Create(CultureInfo.InvariantCulture, $"×{cm / bm:0.00}; ") : "";
        return new MetricVerdict("latency", failed, test.P,
            $"canary latency median {cm:0.#} ms vs baseline {bm:0.#} ms "
            + $"({ratio}p95 {Quantile(canary, 0.95):0.#} vs {Quantile(baseline, 0.95):0.#}; Mann-Whitney, up to ×{a.LatencyTolerance:0.##} "
            + $"allowed), {CanaryVerdict.FormatP(test.P)}: {(failed ? "fail" : "pass")}");
    }

    public static double Median(IReadOnlyList<double> values) => Quantile(values, 0.5);

    /// <summary>The q-quantile by linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    private static string Percent(double share) => (share * 100).ToString(share < 0.1 ? "0.0#" : "0.0", CultureInfo.InvariantCulture) + "%";

    internal static string Duration(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0}m" : $"{span.TotalSeconds:0}s";
}
