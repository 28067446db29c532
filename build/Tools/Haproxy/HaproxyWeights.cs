using System.Globalization;

namespace Pipeline.Tools.Haproxy;

/// <summary>Server weights of a backend as <c>show stat</c> reports them (set with <see cref="HaproxyCommands.SetWeight"/>).</summary>
public static class HaproxyWeights
{
    /// <summary>HAProxy's largest server weight.</summary>
    public const int Max = 256;

    /// <summary>The user-set weight (<c>uweight</c>, else <c>weight</c>) of each server of the backend in a <c>show stat</c>
    /// answer.</summary>
    public static IReadOnlyDictionary<string, int> Parse(string csv, string backend)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal))
            throw new Engine.PipelineException($"HAProxy answered 'show stat' with something else: {csv.Trim()}");
        var header = lines[0][2..].Split(',');
        int px = Array.IndexOf(header, "pxname"), sv = Array.IndexOf(header, "svname");
        var weight = Array.IndexOf(header, "uweight") is var u and >= 0 ? u : Array.IndexOf(header, "weight");
        var weights = new Dictionary<string, int>();
        foreach (var f in lines.Skip(1).Select(l => l.Split(',')))
            if (f.Length > weight && f[px] == backend && f[sv] is not ("FRONTEND" or "BACKEND")
                && int.TryParse(f[weight], NumberStyles.Integer, CultureInfo.InvariantCulture, out var w))
                weights[f[sv]] = w;
        return weights;
    }

    public static async Task<IReadOnlyDictionary<string, int>> ReadAsync(HaproxyRuntimeApi api, string backend, CancellationToken ct) =>
        Parse(await api.SendAsync(HaproxyCommands.ShowStat(), ct), backend);
}
