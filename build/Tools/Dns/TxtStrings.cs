using System.Text;

namespace Pipeline.Tools.Dns;

/// <summary>A TXT value as APIs write it in zone-file form: one or more quoted strings (<c>"a" "b"</c>, 255 characters
/// at most each), '"' and '\' escaped. Pipeline's values are the strings joined.</summary>
public static class TxtStrings
{
    public static string Quote(string value) =>
        value.Length == 0
            ? "\"\""
            : string.Join(' ', value.Chunk(255).Select(c => "\"" + Escape(new string(c)) + "\""));

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>The strings joined; a text that is not quoted is returned as it is.</summary>
    public static string Unquote(string content)
    {
        var text = content.Trim();
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return text;
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') quoted = !quoted;
            else if (c == '\\' && quoted && i + 1 < text.Length) sb.Append(text[++i]);
            else if (quoted) sb.Append(c);
        }
        return sb.ToString();
    }
}
