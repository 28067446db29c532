namespace Pipeline.Deploying.Canary;

/// <summary>
/// The Mann-Whitney U test, one-sided: do the canary's response times tend to be larger than the baseline's? Normal
/// approximation with the tie correction and a continuity correction of ½, fine from about 20 samples a side; the same
/// as <c>scipy.stats.mannwhitneyu(canary, baseline, alternative='greater', method='asymptotic')</c>.
/// </summary>
public static class MannWhitneyTest
{
    public sealed record Result(double U, double Z, double P);

    public static Result Greater(IReadOnlyList<double> canary, IReadOnlyList<double> baseline)
    {
        long n1 = canary.Count, n2 = baseline.Count, n = n1 + n2;
        if (n1 == 0 || n2 == 0) return new Result(0, 0, 1);
        var all = canary.Select(v => (Value: v, Canary: true)).Concat(baseline.Select(v => (Value: v, Canary: false)))
            .OrderBy(p => p.Value).ToArray();
        double canaryRanks = 0, ties = 0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j < all.Length && all[j].Value == all[i].Value) j++;
            var rank = (i + 1 + j) / 2.0; // the mean of ranks i+1 … j
            for (var k = i; k < j; k++) if (all[k].Canary) canaryRanks += rank;
            double t = j - i;
            ties += t * t * t - t;
            i = j;
        }
        var u = canaryRanks - n1 * (n1 + 1) / 2.0;
        var mean = n1 * n2 / 2.0;
        var variance = n1 * n2 / 12.0 * (n + 1 - ties / (n * (n - 1.0)));
        if (variance <= 0) return new Result(u, 0, 1); // every value equal: no evidence either way
        var z = (u - mean - 0.5) / Math.Sqrt(variance);
        return new Result(u, z, SpecialFunctions.NormalUpperTail(z));
    }
}
