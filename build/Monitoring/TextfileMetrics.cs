using Pipeline.Engine;
using System.Globalization;
using System.Text;

namespace Pipeline.Monitoring;

/// <summary>A metric family of a textfile: its name, help text and type (gauge or counter).</summary>
public sealed record MetricFamily(string Name, string Help, string Type = "gauge");

/// <summary>One sample: a family's name, its labels in order, its value.</summary>
public sealed record MetricSample(string Name, IReadOnlyList<(string Key, string Value)> Labels, double Value)
{
    public string Line()
    {
        var labels = Labels.Count == 0 ? "" : "{" + string.Join(",", Labels.Select(l => $"{l.Key}=\"{Escape(l.Value)}\"")) + "}";
        return $"{Name}{labels} {Value.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}

/// <summary>
/// The Prometheus textfile format (node_exporter's textfile collector reads <c>*.prom</c>) for the steps' freshness
/// metrics. A step writes the samples of the subjects it just handled (a backup set, a group, a certificate: the
/// value of <c>subjectLabel</c>); lines of other subjects already in the file are kept, and the file is replaced
/// atomically (temporary file, rename), so the collector never reads half a file.
/// </summary>
public static class TextfileMetrics
{
    public static string Render(
        IReadOnlyList<MetricFamily> families, IReadOnlyList<MetricSample> fresh, string? existing, string subjectLabel)
    {
        var subjects = fresh.Select(s => LabelOf(s.Line(), subjectLabel)).ToHashSet();
        var kept = new Dictionary<string, List<string>>();
        foreach (var line in (existing ?? "").Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var subject = LabelOf(line, subjectLabel);
            if (subject is null || subjects.Contains(subject)) continue;
            var name = NameOf(line);
            if (!kept.TryGetValue(name, out var list)) kept[name] = list = [];
            list.Add(line);
        }
        var sb = new StringBuilder();
        foreach (var family in families)
        {
            sb.Append("# HELP ").Append(family.Name).Append(' ').Append(family.Help).Append('\n');
            sb.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            foreach (var line in kept.GetValueOrDefault(family.Name) ?? []) sb.Append(line).Append('\n');
            foreach (var sample in fresh.Where(s => s.Name == family.Name)) sb.Append(sample.Line()).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Merges <paramref name="fresh"/> into <paramref name="file"/> (see <see cref="Render"/>), atomically.</summary>
    public static void Write(string file, IReadOnlyList<MetricFamily> families, IReadOnlyList<MetricSample> fresh, string subjectLabel) =>
        AtomicFile.Write(file, Encoding.UTF8.GetBytes(Render(families, fresh, Read(file), subjectLabel)));

    /// <summary>The file's text, or null when there is none yet.</summary>
    public static string? Read(string file) => File.Exists(file) ? File.ReadAllText(file) : null;

    /// <summary>The value of a sample of <paramref name="name"/> whose <paramref name="subjectLabel"/> is <paramref
    /// name="subject"/>.</summary>
    public static double? ValueOf(string? text, string name, string subjectLabel, string subject)
    {
        foreach (var line in (text ?? "").Split('\n'))
            if (!line.StartsWith('#') && line.Length > 0 && NameOf(line) == name && LabelOf(line, subjectLabel) == subject
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                return value;
        return null;
    }

    /// <summary>Every sample of a textfile (comments and lines that do not parse are skipped), for readers such as the control
    /// plane's dashboard.</summary>
    public static IReadOnlyList<MetricSample> Parse(string? text)
    {
        var samples = new List<MetricSample>();
        foreach (var line in (text ?? "").Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                continue;
            var head = line[..space];
            var brace = head.IndexOf('{');
            var labels = brace < 0 ? [] : Labels(head[(brace + 1)..].TrimEnd('}'));
            samples.Add(new MetricSample(brace < 0 ? head : head[..brace], labels, value));
        }
        return samples;
    }

    private static List<(string Key, string Value)> Labels(string text)
    {
        var labels = new List<(string, string)>();
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf("=\"", i, StringComparison.Ordinal);
            if (eq < 0) break;
            var key = text[i..eq].Trim(',', ' ');
            var value = new StringBuilder();
            var j = eq + 2;
            for (; j < text.Length && text[j] != '"'; j++)
                value.Append(text[j] == '\\' && j + 1 < text.Length ? text[++j] switch { 'n' => '\n', var c => c } : text[j]);
            labels.Add((key, value.ToString()));
            i = j + 1;
        }
        return labels;
    }

    public static double UnixSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static string NameOf(string line) => line.Split('{', ' ')[0];

    private static string? LabelOf(string line, string label)
    {
        var key = $"{label}=\"";
        var start = line.IndexOf('{') is var brace and >= 0 ? line.IndexOf(key, brace, StringComparison.Ordinal) : -1;
        if (start < 0) return null;
        start += key.Length;
        var end = line.IndexOf('"', start);
        return end < 0 ? null : line[start..end];
    }
}
