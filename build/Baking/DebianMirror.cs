using System.Text.RegularExpressions;

namespace Pipeline.Baking;

/// <summary>The Debian mirror this machine uses, read from /etc/apt/sources.list(.d): the default for debootstrap bases.</summary>
public static partial class DebianMirror
{
    public const string Fallback = "http://deb.debian.org/debian";

    public static string FromAptSources(string etcApt = "/etc/apt")
    {
        var files = new List<string>();
        if (File.Exists(Path.Combine(etcApt, "sources.list"))) files.Add(Path.Combine(etcApt, "sources.list"));
        var d = Path.Combine(etcApt, "sources.list.d");
        if (Directory.Exists(d))
            files.AddRange(
                Directory
                    .GetFiles(d)
                    .Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
            );
        foreach (var file in files)
            if (Parse(File.ReadAllText(file)) is { } mirror) return mirror;
        return Fallback;
    }

    /// <summary>The first Debian archive URI of a one-line (<c>deb URI suite …</c>) or deb822 (<c>URIs:</c>) sources file.</summary>
    public static string? Parse(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#')) continue;
            var match = OneLine().Match(line) is { Success: true } m ? m : Deb822().Match(line);
            if (
                match.Success
                && !match.Groups[1].Value.Contains("security", StringComparison.Ordinal)
                && match.Groups[1].Value.TrimEnd('/').EndsWith("/debian", StringComparison.Ordinal)
            )
                return match.Groups[1].Value.TrimEnd('/');
        }
        return null;
    }

    [GeneratedRegex(@"^deb\s+(?:\[[^\]]*\]\s+)?(https?://\S+)")] private static partial Regex OneLine();
    [GeneratedRegex(@"^URIs:\s*(https?://\S+)")] private static partial Regex Deb822();
}
