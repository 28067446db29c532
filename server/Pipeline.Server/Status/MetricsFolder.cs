using Pipeline.Monitoring;

namespace Pipeline.Server.Status;

/// <summary>One sample of a textfile under <c>artifacts/metrics/</c>, with its file's name.</summary>
public sealed record FileSample(string File, MetricSample Sample)
{
    public string Name => Sample.Name;
    public double Value => Sample.Value;
    public string? Label(string key)
    {
        foreach (var (k, v) in Sample.Labels)
            if (k == key) return v;
        return null;
    }

    /// <summary>The value as a time, for the <c>*_timestamp_seconds</c> families.</summary>
    public DateTimeOffset? Time => Name.EndsWith("_timestamp_seconds", StringComparison.Ordinal)
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)(Value * 1000)) : null;

    /// <summary>Whether the sample belongs to <paramref name="environment"/>: its env label says so, or it has none.</summary>
    public bool Of(string environment) => Label("env") is not { } env || env == environment;
}

/// <summary>
/// The steps' freshness metrics as node_exporter's textfile collector reads them: every <c>*.prom</c> of the build's metrics folder
/// (deploy, lock, certificates, backups and their verify, cluster tests, publish), parsed with the build's own
/// <see cref="TextfileMetrics"/>.
/// </summary>
public static class MetricsFolder
{
    public static string Of(string root) => Path.Combine(root, "artifacts", "metrics");

    public static IReadOnlyList<FileSample> Read(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.prom").Order(StringComparer.Ordinal)
                .SelectMany(f => TextfileMetrics.Parse(TextfileMetrics.Read(f)).Select(s => new FileSample(Path.GetFileName(f), s)))]
            : [];
}
