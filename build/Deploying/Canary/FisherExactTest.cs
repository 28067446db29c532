namespace Pipeline.Deploying.Canary;

/// <summary>
/// Fisher's exact test of a 2×2 table, one-sided: is the canary's share of failed requests higher than the baseline's?
/// With the margins fixed, the canary's failures X follow the hypergeometric distribution (N requests, K failed, n of
/// them the canary's), and the p-value is P(X ≥ observed), summed exactly in log space. The same as
/// <c>scipy.stats.fisher_exact([[cf, cn - cf], [bf, bn - bf]], alternative='greater')</c>.
/// </summary>
public static class FisherExactTest
{
    /// <param name="canaryFailed">Failed requests of the canary, out of <paramref name="canaryTotal"/>.</param>
    /// <param name="baselineFailed">Failed requests of the baseline, out of <paramref name="baselineTotal"/>.</param>
    public static double GreaterP(long canaryFailed, long canaryTotal, long baselineFailed, long baselineTotal)
    {
        if (canaryFailed < 0 || baselineFailed < 0 || canaryFailed > canaryTotal || baselineFailed > baselineTotal)
            throw new ArgumentException("failed requests must be between 0 and the total");
        long n = canaryTotal, total = canaryTotal + baselineTotal, failed = canaryFailed + baselineFailed;
        if (failed == 0 || n == 0 || baselineTotal == 0) return 1;
        var upper = Math.Min(n, failed);
        var denominator = SpecialFunctions.LogChoose(total, n);
        double Log(long x) =>
            SpecialFunctions.LogChoose(failed, x) + SpecialFunctions.LogChoose(total - failed, n - x) - denominator;

        // The terms fall off fast away from the mode: sum them relative to the largest, then scale back.
        var logs = new List<double>();
        var max = double.NegativeInfinity;
        for (var x = canaryFailed; x <= upper; x++)
        {
            var term = Log(x);
            logs.Add(term);
            max = Math.Max(max, term);
            if (term < max - 50) break; // past the mode, and below 1e-22 of the largest term
        }
        var sum = logs.Sum(l => Math.Exp(l - max));
        return Math.Min(1, Math.Exp(max) * sum);
    }
}
