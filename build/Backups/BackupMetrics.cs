using Pipeline.Monitoring;

namespace Pipeline.Backups;

/// <summary>
/// The Prometheus textfile (node_exporter's textfile collector) with, per set, the time of the last successful
/// backup, the bytes and files it covers and what it sent. Lines of sets not backed up in this run are kept;
/// the file is replaced atomically (<see cref="TextfileMetrics"/>).
/// </summary>
public static class BackupMetrics
{
    public static readonly IReadOnlyList<MetricFamily> Families =
    [
        new(MetricNames.BackupLastSuccess, "Unix time of the last successful backup of the set."),
        new(MetricNames.BackupBytes, "Bytes of the files in the set's last snapshot."),
        new("backup_files", "Files in the set's last snapshot."),
        new("backup_uploaded_bytes", "Bytes the last backup of the set sent."),
        new(MetricNames.BackupDuration, "How long the last backup of the set took."),
    ];

    public static IReadOnlyList<MetricSample> Samples(IEnumerable<BackupResult> results, DateTimeOffset now) =>
        results.OrderBy(r => r.Set, StringComparer.Ordinal)
            .SelectMany(r => new (string Name, double Value)[]
            {
                (MetricNames.BackupLastSuccess, TextfileMetrics.UnixSeconds(now)),
                (MetricNames.BackupBytes, r.Bytes),
                ("backup_files", r.Files),
                ("backup_uploaded_bytes", r.UploadedBytes),
                (MetricNames.BackupDuration, Math.Round(r.Duration.TotalSeconds, 3)),
            }.Select(m => new MetricSample(m.Name, [("set", r.Set)], m.Value)))
            .ToList();

    public static string Render(IEnumerable<BackupResult> results, DateTimeOffset now, string? existing) =>
        TextfileMetrics.Render(Families, Samples(results, now), existing, "set");

    public static void Write(string file, IEnumerable<BackupResult> results, DateTimeOffset now) =>
        TextfileMetrics.Write(file, Families, Samples(results, now), "set");

    /// <summary>VerifyBackups' own file (<c>backup-verify.prom</c> beside the backup file): per set, when it was last verified and
    /// whether every object and snapshot was whole.</summary>
    public static readonly IReadOnlyList<MetricFamily> VerifyFamilies =
    [
        new(MetricNames.BackupLastVerify, "Unix time VerifyBackups last re-hashed the set's repository."),
        new(MetricNames.BackupLastVerifyOk, "1 when that verify found no problem, 0 otherwise."),
    ];

    public static void WriteVerified(string metricsDirectory, IEnumerable<string> sets, bool ok, DateTimeOffset now) =>
        TextfileMetrics.Write(Path.Combine(metricsDirectory, "backup-verify.prom"), VerifyFamilies,
            [.. sets.Order(StringComparer.Ordinal).SelectMany(set => new MetricSample[]
            {
                new(MetricNames.BackupLastVerify, [("set", set)], TextfileMetrics.UnixSeconds(now)),
                new(MetricNames.BackupLastVerifyOk, [("set", set)], ok ? 1 : 0),
            })], "set");
}
