using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Backups;

/// <summary>
/// What the last backup learnt about each local file: size, inode, modification and change times, and the
/// SHA-256 it had then. Kept under .nuke/temp/backups/, one file per repository and set; also remembers the
/// latest snapshot written, so an unchanged tree is recognised without reading anything from S3.
/// </summary>
public sealed record HashCache(IReadOnlyDictionary<string, CachedFile> Files, long WrittenAtNs, string? LatestSnapshot, string? LatestTree)
{
    public static readonly HashCache Empty = new(new Dictionary<string, CachedFile>(), 0, null, null);

    public static HashCache Load(string file)
    {
        if (!File.Exists(file)) return Empty;
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(file), HashCacheJson.Default.HashCache) ?? Empty; }
        catch (JsonException) { return Empty; } // a damaged cache only costs re-hashing
    }

    /// <summary>Writes atomically (temp file, then rename).</summary>
    public void Save(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(this, HashCacheJson.Default.HashCache));
        File.Move(temp, file, overwrite: true);
    }

    public static long NowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
}

/// <param name="Chunks">A chunked file's chunks (null: stored whole).</param>
public sealed record CachedFile(
    long Size,
    ulong Inode,
    long MTimeNs,
    long CTimeNs,
    string Sha256,
    IReadOnlyList<SnapshotChunk>? Chunks = null
);

/// <summary>Compiled (source-generated) JSON for the cache: it is read on every run, also the no-op ones.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HashCache))]
internal sealed partial class HashCacheJson : JsonSerializerContext;
