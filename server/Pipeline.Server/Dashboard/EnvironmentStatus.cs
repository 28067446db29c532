using Pipeline.Server.Status;
using System.Text.Json;

namespace Pipeline.Server.Dashboard;

/// <summary>A value the dashboard shows, with the time the background worker last read it.</summary>
public sealed record Refreshed<T>(T Value, DateTimeOffset RefreshedAt, string? Problem = null);

/// <summary>Who holds the environment's deploy lock (the JSON the build's FileLockStore writes), and since when.</summary>
public sealed record LockView(string User, string Host, int Pid, string Version, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt);

/// <summary>One line of <c>artifacts/deploy/audit.jsonl</c> (the build's AuditRecord) and its timeline page, when kept.</summary>
public sealed record DeployView(string Deploy, string Group, string User, string Result, string Message, DateTimeOffset StartedAt,
    double Seconds, int Changes, string? Timeline);

/// <summary>What the dashboard shows of one environment, each part with its own refresh time.</summary>
public sealed record EnvironmentStatus(
    string Environment,
    Refreshed<LockView?> Lock,
    Refreshed<IReadOnlyList<DeployView>> Deploys,
    Refreshed<IReadOnlyList<GroupView>> Groups,
    Refreshed<IReadOnlyList<InstanceView>> Instances,
    Refreshed<IReadOnlyList<CertificateView>> Certificates,
    Refreshed<IReadOnlyList<BackupView>> Backups,
    Refreshed<IReadOnlyList<BackupPoint>> BackupHistory,
    Refreshed<IReadOnlyList<DnsRecordView>> Dns,
    Refreshed<IReadOnlyList<FileSample>> Freshness)
{
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Reads what the targets leave: the lock file (<c>lock/directory</c>, this machine's), the audit records with their
    /// timelines and the groups' file_sd listings (<c>artifacts/deploy/</c>), the Dns step's records (<c>artifacts/dns/</c>), the
    /// steps' freshness metrics (<c>artifacts/metrics/*.prom</c>), and asks each listed instance for its health.</summary>
    public static async Task<EnvironmentStatus> ReadAsync(string environment, ServerOptions options, InstanceReader instances,
        BackupHistory history, DateTimeOffset now, CancellationToken ct)
    {
        var outline = Guarded(() => EnvironmentOutline.Read(options.EnvironmentsDirectory, environment), now);
        var o = outline.Value ?? new EnvironmentOutline(environment, [], [], []);
        var metrics = Guarded(() => MetricsFolder.Read(MetricsFolder.Of(options.Root)), now);
        var samples = metrics.Value ?? [];
        var groups = Guarded(() => MetricViews.Groups(environment, o, samples), now, metrics.Problem ?? outline.Problem);
        var listed = await GuardedAsync(() => instances.ReadAsync(o, groups.Value ?? [], ct), DateTimeOffset.UtcNow);
        var backups = Guarded(() => MetricViews.Backups(o, samples), now, metrics.Problem);
        var sets = backups.Value ?? [];
        if (sets.Count > 0) await history.RecordAsync(sets, ct);
        return new EnvironmentStatus(
            environment,
            Guarded(() => ReadLock(environment, options), now),
            Guarded(() => ReadDeploys(environment, options), now),
            groups,
            listed,
            Guarded(() => MetricViews.Certificates(environment, o, samples), now, metrics.Problem),
            backups,
            await GuardedAsync(() => history.ReadAsync([.. sets.Select(x => x.Set)], ct), now),
            Guarded(() => DnsRecordsReader.Read(options.Root, environment, listed.Value ?? []), now),
            Guarded(() => (IReadOnlyList<FileSample>)[.. samples.Where(s => s.Of(environment))], now, metrics.Problem));
    }

    private static Refreshed<T> Guarded<T>(Func<T> read, DateTimeOffset now, string? problem = null)
    {
        try { return new Refreshed<T>(read(), now, problem); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            return new Refreshed<T>(default!, now, e.Message);
        }
    }

    private static async Task<Refreshed<T>> GuardedAsync<T>(Func<Task<T>> read, DateTimeOffset now)
    {
        try { return new Refreshed<T>(await read(), now); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return new Refreshed<T>(default!, now, e.Message);
        }
    }

    private static LockView? ReadLock(string environment, ServerOptions options)
    {
        var path = Path.Combine(options.LockDirectory, $"{environment}.deploy.lock");
        if (!File.Exists(path)) return null;
        var text = File.ReadAllText(path);
        return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<LockView>(text, Snake);
    }

    private static IReadOnlyList<DeployView> ReadDeploys(string environment, ServerOptions options)
    {
        var directory = Path.Combine(options.Root, "artifacts", "deploy");
        var audit = Path.Combine(directory, "audit.jsonl");
        if (!File.Exists(audit)) return [];
        var deploys = new List<DeployView>();
        foreach (var line in File.ReadLines(audit).Where(l => l.Trim().Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (Text(r, "environment") != environment) continue;
            var group = Text(r, "group");
            var id = Text(r, "deploy");
            var timeline = $"{environment}-{group}-{id}.timeline.html";
            deploys.Add(new DeployView(id, group, Text(r, "user"), Text(r, "result"), Text(r, "message"),
                r.TryGetProperty("started_at", out var s) ? s.GetDateTimeOffset() : DateTimeOffset.MinValue,
                r.TryGetProperty("seconds", out var d) ? d.GetDouble() : 0,
                r.TryGetProperty("changes", out var c) && c.ValueKind == JsonValueKind.Array ? c.GetArrayLength() : 0,
                File.Exists(Path.Combine(directory, timeline)) ? timeline : null));
        }
        return [.. deploys.OrderByDescending(d => d.StartedAt).Take(20)];
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";
}
