using System.Globalization;
using System.Text;

namespace Pipeline.Backups;

/// <summary>
/// The Prometheus textfile (node_exporter's textfile collector) with, per set, the time of the last successful
/// backup, the bytes and files it covers and what it sent. Lines of sets not backed up in this run are kept;
/// the file is replaced atomically.
/// </summary>
public static class BackupMetrics
{
    private static readonly (string Name, string Help)[] Metrics =
    [
        ("last_backup_timestamp_seconds", "Unix time of the last successful backup of the set."),
        ("backup_bytes", "Bytes of the files in the set's last snapshot."),
        ("backup_files", "Files in the set's last snapshot."),
        ("backup_uploaded_bytes", "Bytes the last backup of the set sent."),
        ("backup_duration_seconds", "How long the last backup of the set took."),
    ];

    public static string Render(IEnumerable<BackupResult> results, DateTimeOffset now, string? existing)
    {
        var fresh = results.ToDictionary(r => r.Set);
        var kept = new Dictionary<string, List<string>>();
        foreach (var line in (existing ?? "").Split('\n'))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var set = SetOf(line);
            var name = line.Split('{')[0];
            if (set is null || fresh.ContainsKey(set)) continue;
            if (!kept.TryGetValue(name, out var list)) kept[name] = list = [];
            list.Add(line);
        }
        var sb = new StringBuilder();
        foreach (var (name, help) in Metrics)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(" gauge\n");
            foreach (var line in kept.GetValueOrDefault(name) ?? []) sb.Append(line).Append('\n');
            foreach (var r in fresh.Values.OrderBy(r => r.Set, StringComparer.Ordinal))
            {
                var value = name switch
                {
                    "last_backup_timestamp_seconds" => now.ToUnixTimeMilliseconds() / 1000.0,
                    "backup_bytes" => r.Bytes,
                    "backup_files" => r.Files,
                    "backup_uploaded_bytes" => r.UploadedBytes,
                    _ => Math.Round(r.Duration.TotalSeconds, 3),
                };
                sb.Append(CultureInfo.InvariantCulture, $"{name}{{set=\"{r.Set}\"}} {value.ToString(CultureInfo.InvariantCulture)}\n");
            }
        }
        return sb.ToString();
    }

    public static void Write(string file, IEnumerable<BackupResult> results, DateTimeOffset now)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var text = Render(results, now, File.Exists(file) ? File.ReadAllText(file) : null);
        var temp = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, file, overwrite: true);
    }

    private static string? SetOf(string line)
    {
        var start = line.IndexOf("set=\"", StringComparison.Ordinal);
        if (start < 0) return null;
        start += 5;
        var end = line.IndexOf('"', start);
        return end < 0 ? null : line[start..end];
    }
}
