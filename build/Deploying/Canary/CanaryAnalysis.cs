namespace Pipeline.Deploying.Canary;

/// <summary>
/// One named analysis of <c>groups/&lt;name&gt;/rolling/analysis</c>: how a canary step is judged against its baseline.
/// </summary>
/// <param name="Significance">The level each one-sided test is run at (default 0.01): a metric fails only when its p-value is below
/// it.</param>
/// <param name="MinSamples">Requests each of canary and baseline must have answered before the step is judged; the judge looks once,
/// at that point, so repeated looks do not inflate false aborts.</param>
/// <param name="MaxWait">How long a step waits for <see cref="MinSamples"/>; a step still short then is aborted as
/// inconclusive, never guessed.</param>
/// <param name="ErrorBudget">The rise in error rate over the baseline that is tolerated even when significant (0.01: one percentage
/// point).</param>
/// <param name="LatencyTolerance">How much slower the canary may be: its response times are divided by this before the rank test
/// (1.2: a canary up to 20% slower passes however large the samples).</param>
public sealed record CanaryAnalysis(
    string Name,
    double Significance,
    int MinSamples,
    TimeSpan MaxWait,
    double ErrorBudget,
    double LatencyTolerance
)
{
    /// <summary>The PromQL checks (none by default).</summary>
    public IReadOnlyList<CanaryQuery> Queries { get; init; } = Array.Empty<CanaryQuery>();

    /// <summary>Prometheus' base URL for <see cref="Queries"/> (null without queries).</summary>
    public Uri? Prometheus { get; init; }

    public static CanaryAnalysis Default { get; } = new("default", 0.01, 200, TimeSpan.FromMinutes(5), 0.01, 1.2);
}
