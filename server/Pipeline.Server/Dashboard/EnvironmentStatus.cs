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
public sealed record EnvironmentStatus(string Environment, Refreshed<LockView?> Lock, Refreshed<IReadOnlyList<DeployView>> Deploys)
{
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Reads the files the deploy target writes: its lock file (<c>lock/directory</c>, this machine's) and its audit
    /// records with their timelines (<c>artifacts/deploy/</c>).</summary>
    public static EnvironmentStatus Read(string environment, ServerOptions options, DateTimeOffset now) =>
        new(environment, Guarded(() => ReadLock(environment, options), now), Guarded(() => ReadDeploys(environment, options), now));

    private static Refreshed<T> Guarded<T>(Func<T> read, DateTimeOffset now)
    {
        try { return new Refreshed<T>(read(), now); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
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
