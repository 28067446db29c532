using Pipeline.Engine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Deploying.Locking;

/// <summary>Who holds an environment's deploy lock; the JSON other jobs (scalers, backups) read to see IN_DEPLOY.</summary>
public sealed record LockHolder(
    string Environment, string User, string Host, int Pid, string? CiRun, string Version,
    DateTimeOffset StartedAt, DateTimeOffset ExpiresAt, string Nonce)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        TypeInfoResolver = LockHolderJson.Default,
    };

    public static LockHolder Me(string environment, string version, TimeSpan ttl, DateTimeOffset now) => new(
        environment, System.Environment.UserName, System.Environment.MachineName, System.Environment.ProcessId,
        System.Environment.GetEnvironmentVariable("GITHUB_RUN_ID") ?? System.Environment.GetEnvironmentVariable("CI_JOB_ID"),
        version, now, now + ttl, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));

    public string ToJson() => JsonSerializer.Serialize(this, Json.TypeInfo<LockHolder>());
    public static LockHolder? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return JsonSerializer.Deserialize(json, Json.TypeInfo<LockHolder>()); }
        catch (JsonException) { return null; }
    }

    /// <summary>Stale: its TTL passed, or it was taken on this host by a process that no longer exists.</summary>
    public string? StaleReason(DateTimeOffset now)
    {
        if (ExpiresAt < now) return $"its TTL ran out at {ExpiresAt:HH:mm:ss}Z";
        if (Host == System.Environment.MachineName && Pid != System.Environment.ProcessId && !Directory.Exists($"/proc/{Pid}"))
            return $"its process {Pid} on {Host} is gone";
        return null;
    }

    [JsonIgnore]
    public string Describe =>
        $"{User}@{Host} (pid {Pid}{(CiRun is null ? "" : $", CI run {CiRun}")}) since {StartedAt:yyyy-MM-dd HH:mm:ss}Z deploying {Version}";
}

[JsonSerializable(typeof(LockHolder))]
internal sealed partial class LockHolderJson : JsonSerializerContext;
