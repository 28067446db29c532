using Pipeline.Engine.Graph;
using Pipeline.Engine.Parameters;
using System.Text;

namespace Pipeline.Engine.Reports;

/// <summary><c>--help</c>: every listed target with its description and direct dependencies; every parameter.</summary>
internal static class HelpWriter
{
    public static string Write(TargetGraph graph, IReadOnlyList<ParameterInfo> parameters, object build, string defaultTarget)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Usage: ./build.sh [targets] [--parameter value …]");
        sb.AppendLine();
        sb.AppendLine("Targets (dependencies after the arrow):");
        var targets = graph.Targets.Where(t => !t.IsUnlisted).ToList();
        var width = targets.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 12;
        foreach (var t in targets)
        {
            var name = t.Name + (t.Name == defaultTarget ? " (default)" : "");
            var deps = t.Dependencies.Count > 0 ? $"  -> {string.Join(", ", t.Dependencies.Select(d => d.Name))}" : "";
            sb.AppendLine($"  {name.PadRight(width)}{t.Description}{deps}");
        }
        sb.AppendLine();
        sb.AppendLine(
            "Parameters (command line > environment variable > .nuke/parameters.<profile>.json > .nuke/parameters.json > default):"
        );
        foreach (var p in parameters)
        {
            var shown = p.IsSwitch ? p.Flag : $"{p.Flag} <{(p.IsSecret ? "secret" : "value")}>";
            sb.AppendLine($"  {shown}");
            sb.Append($"      {p.Description}");
            sb.Append($" [env: {p.EnvironmentVariable}]");
            if (p.IsSecret) sb.Append(" [secret: masked in all output]");
            else if (Default(p.GetValue(build)) is { } d) sb.Append($" [default: {d}]");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>A duration as it is typed on the command line: 90s → 1m30s, 2h, 250ms.</summary>
    internal static string Duration(TimeSpan t)
    {
        if (t == TimeSpan.Zero) return "0s";
        var parts = new (int Value, string Unit)[]
        {
            (t.Days, "d"),
            (t.Hours, "h"),
            (t.Minutes, "m"),
            (t.Seconds, "s"),
            (t.Milliseconds, "ms"),
        };
        return string.Concat(parts.Where(p => p.Value != 0).Select(p => $"{p.Value}{p.Unit}"));
    }

    private static string? Default(object? value) => value switch
    {
        null => null,
        false => null,
        string s when s.Length == 0 => null,
        Array a when a.Length == 0 => null,
        Array a => string.Join(" ", a.Cast<object>()),
        TimeSpan t => Duration(t),
        Enum e => Naming.Kebab(e.ToString()),
        _ => value.ToString(),
    };
}
