namespace Heartbeat;

/// <summary>
/// Reads a systemd-style environment file (<c>/etc/default/heartbeat</c>): <c>KEY=value</c> lines,
/// <c>#</c> comments, optional single or double quotes. The unit loads the same file with
/// <c>EnvironmentFile=-</c>; reading it here makes a hand-started binary behave the same.
/// </summary>
internal static class EnvironmentFile
{
    public const string DefaultPath = "/etc/default/heartbeat";

    public static IReadOnlyDictionary<string, string> ReadDefault()
    {
        var path = Environment.GetEnvironmentVariable("HEARTBEAT_ENV_FILE") ?? DefaultPath;
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : new Dictionary<string, string>();
    }

    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var equals = line.IndexOf('=');
            if (equals <= 0) continue;
            var key = line[..equals].Trim();
            values[key] = Unquote(line[(equals + 1)..].Trim());
        }
        return values;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]
            ? value[1..^1]
            : value;
}
