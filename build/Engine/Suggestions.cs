namespace Pipeline.Engine;

/// <summary>"Did you mean …" for mistyped target and parameter names.</summary>
public static class Suggestions
{
    /// <summary>The closest candidate; with <paramref name="anyDistance"/> false only a plausible typo.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates, bool anyDistance = false)
    {
        var key = Normalize(input);
        var best = candidates
            .Select(c => (Candidate: c, Distance: Distance(key, Normalize(c))))
            .OrderBy(x => x.Distance).ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate is not null && (anyDistance || best.Distance <= Math.Max(2, key.Length / 3)) ? best.Candidate : null;
    }

    public static string DidYouMean(string input, IEnumerable<string> candidates, bool anyDistance = false) =>
        Closest(input, candidates, anyDistance) is { } match ? $" Did you mean '{match}'?" : "";

    private static string Normalize(string s) => s.TrimStart('-').Replace("-", "").Replace("_", "").ToLowerInvariant();

    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
