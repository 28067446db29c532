using System.Globalization;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// Where things live inside a backup repository (a bucket and prefix): large files' contents as objects named by
/// their SHA-256, small files' contents packed together (packs named by the SHA-256 of the pack, each with an index
/// naming the contents it holds), snapshot manifests per set, and the markers of running backups and prunes.
/// </summary>
public static class RepositoryLayout
{
    public const string Objects = "objects/";
    public const string Snapshots = "snapshots/";
    public const string Locks = "locks/";
    public const string Packs = "packs/";
    public const string Indexes = "index/";
    /// <summary>The marker of an encrypted repository (what seals it, in the clear: <see cref="RepositoryConfig"/>).</summary>
    public const string Config = "repository.json";
    /// <summary>The key slots, each wrapping the master key (<see cref="KeySlot"/>), in the clear.</summary>
    public const string Keys = "keys/";
    /// <summary>The operators' P-256 private key, sealed with the master key: opens what write-only hosts wrote.</summary>
    public const string OperatorKey = "operators/private-key";

    public static string KeySlot(string id) => $"{Keys}{id}.json";

    public static string Object(string sha256) => $"{Objects}{sha256[..2]}/{sha256}";
    public static string? HashOfObject(string key) =>
        key.StartsWith(Objects, StringComparison.Ordinal) && key.Length == Objects.Length + 3 + 64 ? key[^64..] : null;

    public static string Pack(string sha256) => $"{Packs}{sha256[..2]}/{sha256}";
    public static string? HashOfPack(string key) =>
        key.StartsWith(Packs, StringComparison.Ordinal) && key.Length == Packs.Length + 3 + 64 ? key[^64..] : null;

    public static string Index(string packSha256) => $"{Indexes}{packSha256}.json";
    public static string? PackOfIndex(string key) =>
        key.StartsWith(Indexes, StringComparison.Ordinal)
        && key.EndsWith(".json", StringComparison.Ordinal)
        && key.Length == Indexes.Length + 64 + 5
            ? key[Indexes.Length..^5]
            : null;

    public static string SnapshotsOf(string set) => $"{Snapshots}{set}/";
    public static string Snapshot(string set, string id) => $"{SnapshotsOf(set)}{id}.json";

    /// <summary>The set and id of a manifest key, or null when the key is something else.</summary>
    public static (string Set, string Id)? SnapshotOfKey(string key)
    {
        if (!key.StartsWith(Snapshots, StringComparison.Ordinal) || !key.EndsWith(".json", StringComparison.Ordinal)) return null;
        var rest = key[Snapshots.Length..^".json".Length];
        var slash = rest.IndexOf('/');
        return slash <= 0 || slash == rest.Length - 1 ? null : (rest[..slash], rest[(slash + 1)..]);
    }

    public static string BackupMarker(string id) => $"{Locks}backup-{id}.json";
    public static string PruneMarker(string id) => $"{Locks}prune-{id}.json";

    /// <summary>A new snapshot id: its UTC time to the millisecond (so ids sort by time, also two in one second)
    /// and a random suffix.</summary>
    public static string NewSnapshotId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'.'fff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    public static DateTimeOffset? TimeOfSnapshotId(string id) =>
        id.Length >= 20 && DateTime.TryParseExact(id[..20], "yyyyMMdd'T'HHmmss'.'fff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : null;
}
