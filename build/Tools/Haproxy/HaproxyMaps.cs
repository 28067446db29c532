using System.Text.RegularExpressions;

namespace Pipeline.Tools.Haproxy;

/// <summary>One entry of a map HAProxy loaded: the map (its file as HAProxy names it, else <c>#id</c>), the key and its value.</summary>
public sealed record MapEntry(string Map, string Key, string Value);

/// <summary>The maps of a running HAProxy, read with <c>show map</c> (HAProxy 2.6 management guide, section 9.3).</summary>
public static partial class HaproxyMaps
{
    /// <summary>The maps of a <c>show map</c> answer: each one's file, or <c>#id</c> when it has none.</summary>
    public static IReadOnlyList<string> ParseList(string answer) =>
        answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => ListLine().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[2].Value.Length > 0 ? m.Groups[2].Value : $"#{m.Groups[1].Value}")
            .ToList();

    /// <summary>The entries of a <c>show map &lt;map&gt;</c> answer (<c>0x55… key value</c> lines).</summary>
    public static IReadOnlyList<MapEntry> ParseEntries(string map, string answer) =>
        answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 3 && f[0].StartsWith("0x", StringComparison.Ordinal))
            .Select(f => new MapEntry(map, f[1], f[2]))
            .ToList();

    /// <summary>Every map's entries for <paramref name="key"/>, in the order HAProxy lists the maps.</summary>
    public static async Task<IReadOnlyList<MapEntry>> FindAsync(HaproxyRuntimeApi api, string key, CancellationToken ct)
    {
        var found = new List<MapEntry>();
        foreach (var map in ParseList(await api.SendAsync(HaproxyCommands.ShowMap(), ct)).Distinct())
            found.AddRange(ParseEntries(map, await api.SendAsync(HaproxyCommands.ShowMap(map), ct)).Where(e => e.Key == key));
        return found;
    }

    [GeneratedRegex(@"^(-?\d+) \(([^)]*)\)")]
    private static partial Regex ListLine();
}
