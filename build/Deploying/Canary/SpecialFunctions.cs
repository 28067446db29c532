namespace Pipeline.Deploying.Canary;

/// <summary>
/// The two special functions the canary judge's tests need: ln Γ (Lanczos, g = 7, n = 9; relative error near 1e-15) for
/// the hypergeometric terms of Fisher's test, and the normal distribution's upper tail through erfc(x) = Q(½, x²), the
/// regularized upper incomplete gamma function (series below x² = 1.5, Lentz's continued fraction above; Numerical
/// Recipes 6.2), accurate to about 1e-14 and never rounded to 0 before 1e-300.
/// </summary>
public static class SpecialFunctions
{
    private const double TinyValue = 1e-300;

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        var a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < Lanczos.Length; i++) a += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>ln C(n, k).</summary>
    public static double LogChoose(long n, long k) => LogGamma(n + 1.0) - LogGamma(k + 1.0) - LogGamma(n - k + 1.0);

    /// <summary>P(Z &gt; z) for a standard normal Z.</summary>
    public static double NormalUpperTail(double z) => z >= 0 ? 0.5 * Erfc(z / Math.Sqrt(2)) : 1 - 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>erfc(x) for x ≥ 0.</summary>
    public static double Erfc(double x) => x <= 0 ? 1 : UpperGamma(0.5, x * x);

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a).</summary>
    private static double UpperGamma(double a, double x)
    {
        var prefix = -x + a * Math.Log(x) - LogGamma(a);
        if (x < a + 1)
        {
            // P(a, x) by its series, Q = 1 - P.
            double ap = a, sum = 1 / a, delta = sum;
            for (var n = 0; n < 500 && Math.Abs(delta) > Math.Abs(sum) * 1e-16; n++)
            {
                ap += 1;
                delta *= x / ap;
                sum += delta;
            }
            return 1 - sum * Math.Exp(prefix);
        }
        double b = x + 1 - a, c = 1 / TinyValue, d = 1 / b, h = d;
        for (var i = 1; i < 500; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < TinyValue) d = TinyValue;
            c = b + an / c;
            if (Math.Abs(c) < TinyValue) c = TinyValue;
            d = 1 / d;
            var step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-16) break;
        }
        return Math.Exp(prefix) * h;
    }
}
