using Pipeline.Engine;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>
/// How cost grows (<c>--scenario scale</c>): a rolling deploy of 6, 12 and 24 instances at batch 2; a bake of a chain of
/// 10 images where one changes (at the end, the middle, the start); a no-op backup of 1k, 10k and 100k files. Each curve
/// is checked against the law it should follow (<see cref="GrowthLaw"/>) and drawn as a picture beside the page.
/// </summary>
public sealed partial class ScaleScenario : IBenchmarkScenario
{
    public string Name => "scale";
    public bool UsesDocker => true;

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var work = context.Build.TemporaryDirectory / "bench-scale";
        if (work.Exists) Directory.Delete(work, recursive: true);
        var curves = new List<GrowthLaw>
        {
            await DeployCurveAsync(context, work / "deploy", ct),
            await BakeCurveAsync(context, work / "bake", ct),
            await BackupCurveAsync(context, work / "backup", ct),
        };
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }

        var bench = (context.Build.ArtifactsDirectory / "bench").CreateDirectory();
        var sb = new StringBuilder("# Scale: how cost grows").AppendLine().AppendLine();
        sb.AppendLine(
            "Each curve is measured in this run and set against the law it should follow, `t = a + b·x`, fitted by Theil–Sen (the median slope between pairs of points, so one bad point does not bend the line); "
            + $"a point more than {GrowthLaw.Tolerance:0%} off the line breaks the law and is flagged (red in the picture).")
            .AppendLine();
        for (var i = 0; i < curves.Count; i++)
        {
            var svg = $"scale-{i + 1}.svg";
            await File.WriteAllTextAsync(bench / svg, curves[i].Svg(), ct);
            sb.Append(curves[i].Markdown(svg));
        }
        sb.AppendLine(
            $"Machine: load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end, {Environment.ProcessorCount} cores, "
            + $"{RuntimeInformation.OSDescription}; measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        return sb.ToString();
    }
}
