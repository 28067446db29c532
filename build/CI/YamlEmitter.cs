using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.CI;

/// <summary>
/// Writes a <see cref="YamlNode"/> tree in block style with two-space indents and '\n' line ends. Scalars are
/// plain when that is unambiguous, single-quoted otherwise, and literal blocks (<c>|</c>) when multi-line.
/// The same tree always gives the same bytes.
/// </summary>
public static partial class YamlEmitter
{
    public static string Emit(YamlMapping document, string? header = null)
    {
        var sb = new StringBuilder();
        if (header is not null)
            foreach (var line in header.Split('\n')) sb.Append("# ").Append(line).Append('\n');
        WriteMapping(sb, document, 0);
        return sb.ToString();
    }

    private static void WriteMapping(StringBuilder sb, YamlMapping map, int indent, bool firstInline = false)
    {
        var first = true;
        foreach (var (key, value) in map.Entries)
        {
            if (!(first && firstInline)) sb.Append(' ', indent);
            first = false;
            sb.Append(Key(key)).Append(':');
            WriteValue(sb, value, indent);
        }
    }

    /// <summary>Writes what follows <c>key:</c> or <c>-</c>, including the line end.</summary>
    private static void WriteValue(StringBuilder sb, YamlNode value, int indent)
    {
        switch (value)
        {
            case YamlMapping { Entries.Count: 0 }: sb.Append(" {}\n"); break;
            case YamlSequence { Items.Count: 0 }: sb.Append(" []\n"); break;
            case YamlMapping map: sb.Append('\n'); WriteMapping(sb, map, indent + 2); break;
            case YamlSequence seq: sb.Append('\n'); WriteSequence(sb, seq, indent + 2); break;
            case YamlLiteral literal: sb.Append(' ').Append(literal.Text).Append('\n'); break;
            case YamlScalar { Value: var text } when text.Contains('\n'):
                sb.Append(" |").Append(text.EndsWith('\n') ? "" : "-").Append('\n');
                foreach (var line in text.TrimEnd('\n').Split('\n'))
                    (line.Length == 0 ? sb : sb.Append(' ', indent + 2).Append(line)).Append('\n');
                break;
            case YamlScalar scalar: sb.Append(' ').Append(Scalar(scalar.Value)).Append('\n'); break;
            default: throw new InvalidOperationException($"Unknown YAML node {value.GetType().Name}.");
        }
    }

    private static void WriteSequence(StringBuilder sb, YamlSequence seq, int indent)
    {
        foreach (var item in seq.Items)
        {
            sb.Append(' ', indent).Append('-');
            if (item is YamlMapping { Entries.Count: > 0 } map)
            {
                sb.Append(' ');
                WriteMapping(sb, map, indent + 2, firstInline: true);
            }
            else WriteValue(sb, item, indent);
        }
    }

    private static string Key(string key) =>
        PlainKey().IsMatch(key) ? key : Quote(key);

    /// <summary>Plain unless plain style would read as something else (a bool, a number, null, an indicator).</summary>
    public static string Scalar(string value)
    {
        if (value.Length == 0 || value != value.Trim() || value.Contains('\t')) return Quote(value);
        if (Reserved().IsMatch(value) || Number().IsMatch(value)) return Quote(value);
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0])) return Quote(value);
        if (value.Contains(": ") || value.Contains(" #") || value.EndsWith(':')) return Quote(value);
        return value;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex PlainKey();

    [GeneratedRegex(@"^(?i:true|false|yes|no|y|n|on|off|null|~)$")]
    private static partial Regex Reserved();

    [GeneratedRegex(@"^[-+]?(\.?[0-9][0-9_.:]*([eE][-+]?[0-9]+)?|0[xXoO][0-9a-fA-F_]+|\.(?i:inf|nan))$")]
    private static partial Regex Number();
}
