using CliWrap;
using Pipeline.Tools.Process;
using System.Globalization;
using System.Text.Json;

namespace Pipeline.Monitoring;

/// <summary>
/// What the delivery metrics are computed from: the audit trail Deploy appends to (<c>artifacts/deploy/audit.jsonl</c>,
/// one record per group and deploy) and the repository's git history (commit times, and which commits a deploy took live).
/// </summary>
public static class DeliveryHistory
{
    /// <summary>Every record of the audit trail (none when there is no file yet); a line that does not parse is skipped.</summary>
    public static IReadOnlyList<DeployEvent> ReadAudit(string auditJsonl)
    {
        if (!File.Exists(auditJsonl)) return [];
        var events = new List<DeployEvent>();
        foreach (var line in File.ReadLines(auditJsonl).Where(l => l.Trim().Length > 0))
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                var r = json.RootElement;
                events.Add(new DeployEvent(
                    r.GetProperty("deploy").GetString()!, r.GetProperty("environment").GetString()!, r.GetProperty("group").GetString()!,
                    r.GetProperty("result").GetString()!, r.GetProperty("started_at").GetDateTimeOffset(),
                    r.GetProperty("finished_at").GetDateTimeOffset(),
                    r.TryGetProperty("commit", out var commit) && commit.ValueKind == JsonValueKind.String ? commit.GetString() : null));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException) { }
        }
        return events;
    }

    /// <summary>The commit HEAD names, or null outside a git repository.</summary>
    public static async Task<string?> HeadAsync(string root, CancellationToken ct) =>
        (await GitAsync(root, ["rev-parse", "--verify", "HEAD"], ct)) is { Length: > 0 } head ? head.Trim() : null;

    /// <summary>The commits of <c>previous..commit</c> with their commit times (only <paramref name="commit"/> without a
    /// previous one, or when git does not know the previous one); empty when git does not know <paramref name="commit"/>.</summary>
    public static async Task<IReadOnlyList<CommitTime>> CommitsAsync(string root, string? previous, string commit, CancellationToken ct)
    {
        string[] range = previous is null || previous == commit ? ["-1", commit] : [$"{previous}..{commit}"];
        var text = await GitAsync(root, ["log", "--format=%H %ct", .. range, "--"], ct);
        if (text is null && previous is not null) return await CommitsAsync(root, null, commit, ct);
        return (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && long.TryParse(p[1], CultureInfo.InvariantCulture, out _))
            .Select(p => new CommitTime(p[0], DateTimeOffset.FromUnixTimeSeconds(long.Parse(p[1], CultureInfo.InvariantCulture))))
            .ToList();
    }

    private static async Task<string?> GitAsync(string root, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        try
        {
            var result = await Cli.Wrap("git").WithArguments(arguments).WithWorkingDirectory(root)
                .WithValidation(CommandResultValidation.None).RunBufferedAsync(TimeSpan.FromSeconds(30), ct);
            return result.ExitCode == 0 ? result.StandardOutput : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
