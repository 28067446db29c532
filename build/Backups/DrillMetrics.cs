using Pipeline.Monitoring;

namespace Pipeline.Backups;

/// <summary>
/// RestoreDrill's Prometheus textfile (<c>artifacts/metrics/restore-drill.prom</c>): per set whose drill passed, when it
/// passed, the time its restore took and the bytes restored. Lines of sets not drilled (or failing) in this run are kept,
/// so a failing drill shows as a last success growing old.
/// </summary>
public static class DrillMetrics
{
    public static readonly IReadOnlyList<MetricFamily> Families =
    [
        new(MetricNames.RestoreDrillLastSuccess, "Unix time of the last restore drill of the set that passed."),
        new(MetricNames.RestoreDrillDuration, "How long the restore of the set's latest snapshot took in its last passing drill."),
        new("pipeline_restore_drill_bytes", "Bytes restored by the set's last passing drill."),
    ];

    public static IReadOnlyList<MetricSample> Samples(IEnumerable<DrillResult> results, DateTimeOffset now) =>
        results.Where(r => r.Passed).OrderBy(r => r.Set, StringComparer.Ordinal)
            .SelectMany(r => new (string Name, double Value)[]
            {
                (MetricNames.RestoreDrillLastSuccess, TextfileMetrics.UnixSeconds(now)),
                (MetricNames.RestoreDrillDuration, Math.Round(r.TimeToRestore.TotalSeconds, 3)),
                ("pipeline_restore_drill_bytes", r.Bytes),
            }.Select(m => new MetricSample(m.Name, [("set", r.Set)], m.Value)))
            .ToList();

    public static string Render(IEnumerable<DrillResult> results, DateTimeOffset now, string? existing) =>
        TextfileMetrics.Render(Families, Samples(results, now), existing, "set");

    public static void Write(string file, IEnumerable<DrillResult> results, DateTimeOffset now) =>
        TextfileMetrics.Write(file, Families, Samples(results, now), "set");
}
