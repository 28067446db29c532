using System.Globalization;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// Where things live inside a backup repository (a bucket and prefix): objects by SHA-256, snapshot manifests per
/// set, and the markers of running backups and prunes.
/// </summary>
public static class RepositoryLayout
{
    public const string Objects = "objects/";
    public const string Snapshots = "snapshots/";
    public const string Locks = "locks/";

    public static string Object(string sha256) => $"{Objects}{sha256[..2]}/{sha256}";
    public static string? HashOfObject(string key) =>
        key.StartsWith(Objects, StringComparison.Ordinal) && key.Length == Objects.Length + 3 + 64 ? key[^64..] : null;

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

    /// <summary>A new snapshot id: its UTC time (so ids sort by time) and a random suffix.</summary>
    public static string NewSnapshotId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    public static DateTimeOffset? TimeOfSnapshotId(string id) =>
        id.Length >= 16 && DateTime.TryParseExact(id[..16], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : null;
}
