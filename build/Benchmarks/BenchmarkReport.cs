using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>Writes <c>artifacts/bench/&lt;scenario&gt;.md</c>: the measurements side by side, their ratio against a goal.</summary>
public static class BenchmarkReport
{
    /// <summary>A scenario page: the in-process (or single-way) figures and their goal, then, with <paramref name="whole"/>, the
    /// user's command timed as a whole process beside the peer's, which is what the scenario's speed goal is judged on.</summary>
    public static string Render(
        string title,
        string description,
        Measurement ours,
        Measurement peer,
        double goal,
        WholeCommand? whole = null
    )
    {
        var ratio = ours.Median.TotalMilliseconds / peer.Median.TotalMilliseconds;
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}").AppendLine();
        sb.AppendLine(description).AppendLine();
        AppendTable(sb, ours, peer);
        sb.AppendLine(Verdict("Ratio", "ours / peer, medians", ratio, goal));
        sb.AppendLine();
        if (whole is not null)
        {
            sb.AppendLine("## The whole command").AppendLine();
            sb.AppendLine("Each way as a whole process (start-up and dependency chain included), alternating, same run:").AppendLine();
            AppendTable(sb, whole.Ours, whole.Peer);
            sb.AppendLine(Verdict("Whole-command ratio", "ours / peer, medians", whole.Ratio, whole.Goal));
            sb.AppendLine();
        }
        sb.AppendLine(
            $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; measured "
            + $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, both ways in the same run."
        );
        return sb.ToString();
    }

    /// <summary>artifacts/bench/report.md: a machine note, then each scenario's latest page (start-up, bake, …).</summary>
    public static string Gather(string directory, IReadOnlyList<string> scenarios)
    {
        var sb = new StringBuilder("# Pipeline benchmarks").AppendLine().AppendLine();
        sb.AppendLine(
            $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; "
                + $"gathered {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. Each scenario measures ours beside its peer tool in the same "
                    + $"run (medians)."
        );
        sb.AppendLine();
        foreach (var name in scenarios)
        {
            var file = Path.Combine(directory, $"{name}.md");
            if (!File.Exists(file))
            {
                sb.AppendLine($"## {name}\n\nNot measured yet: `./build.sh Benchmark --scenario {name}`.").AppendLine();
                continue;
            }
            var page = File.ReadAllText(file);
            sb.AppendLine(page.Replace("\n# ", "\n## ").TrimEnd().Insert(0, "#")).AppendLine();
            if (BenchmarkChart.FromPage(name, page) is { } chart)
            {
                File.WriteAllText(Path.Combine(directory, $"{name}.svg"), chart);
                sb.AppendLine($"![{name}: ours beside the peer]({name}.svg)").AppendLine();
            }
        }
        return sb.ToString();
    }

    public static double Ratio(Measurement ours, Measurement peer) => ours.Median.TotalMilliseconds / peer.Median.TotalMilliseconds;

    /// <summary>The table of ways (median, min, max), then a blank line.</summary>
    public static void AppendTable(StringBuilder sb, params Measurement[] ways)
    {
        sb.AppendLine("| way | runs | median | min | max |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var m in ways)
            sb.AppendLine($"| {m.Name} | {m.Samples.Count} | {Ms(m.Median)} | {Ms(m.Samples.Min())} | {Ms(m.Samples.Max())} |");
        sb.AppendLine();
    }

    /// <summary>A ratio against its goal: <c>**Ratio** (ours / peer, medians): **0.123** — goal at most 0.15: **met**.</c></summary>
    public static string Verdict(string label, string basis, double ratio, double goal, string goalNote = "") =>
        string.Create(CultureInfo.InvariantCulture,
            $"**{label}** ({basis}): **{ratio:0.000}** — goal at most {goal:0.00}{goalNote}: **{(ratio <= goal ? "met" : "NOT met")}**.");

    private static string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms");
}
