using Pipeline.Engine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Backups;

/// <summary>
/// One snapshot of a set: every source's entries (path, type, mode, size, modification time, SHA-256 of files,
/// target of links). Written to <c>snapshots/&lt;set&gt;/&lt;id&gt;.json</c> only after every object it names is
/// stored, so a snapshot that exists is complete.
/// </summary>
public sealed record SnapshotManifest(
    int Format,
    string Id,
    string Set,
    DateTimeOffset CreatedAt,
    string Host,
    IReadOnlyList<SnapshotSource> Sources
)
{
    /// <summary>2: contents may be packed (see <see cref="PackIndex"/>); a Pipeline that reads only 1 would call them missing.
    /// 3: a large file may be a list of chunks (<see cref="SnapshotEntry.Chunks"/>); one that reads only 2 would not see them.
    /// 4: a database source is one entry whose chunks are the dump (before, its entries were fixed-size pieces, each an object;
    /// still read); one that reads only 3 would look for the whole dump as an object and call it missing.</summary>
    public const int CurrentFormat = 4;

    /// <summary>The key a write-only host named its stored contents with (base64; see <see cref="ContentNaming"/>),
    /// kept only in sealed manifests; null: the repository's own naming.</summary>
    public string? Naming { get; init; }

    public long Bytes => Sources.Sum(s => s.Entries.Where(e => e.Type == EntryKind.File).Sum(e => e.Size));
    public int Files => Sources.Sum(s => s.Entries.Count(e => e.Type == EntryKind.File));
    /// <summary>Every stored content the snapshot references: each file's own, or each chunk of a chunked file (not written
    /// into the manifest: the entries already name them).</summary>
    [JsonIgnore]
    public IEnumerable<string> Hashes =>
        Sources.SelectMany(s => s.Entries).SelectMany(e => e.StoredContents()).Select(c => c.Sha256).Distinct();

    /// <summary>A hash over the content (not the id or time): equal trees mean nothing changed.</summary>
    public string Tree => TreeOf(Sources);

    public static string TreeOf(IEnumerable<SnapshotSource> sources)
    {
        var sb = new StringBuilder();
        foreach (var source in sources)
        {
            sb.Append("source\0").Append(source.Name).Append('\0').Append(source.IsFile).Append('\n');
            foreach (var e in source.Entries)
                sb.Append(e.Path).Append('\0').Append(e.Type).Append('\0').Append(e.Mode).Append('\0').Append(e.Size).Append('\0')
                  .Append(e.MTimeNs).Append('\0').Append(e.Sha256).Append('\0').Append(e.Target).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Options.TypeInfo<SnapshotManifest>());

    public static SnapshotManifest FromJson(ReadOnlySpan<byte> json, string key)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize(json, Options.TypeInfo<SnapshotManifest>()) ?? throw new JsonException("empty");
            if (manifest.Format > CurrentFormat)
                throw new Engine.PipelineException(
                    $"Snapshot {key} has format {manifest.Format}; this Pipeline reads up to {CurrentFormat} (update Pipeline)."
                );
            return manifest;
        }
        catch (JsonException e) { throw new Engine.PipelineException($"Snapshot {key} is not a valid manifest: {e.Message}"); }
    }

    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters =
        {
            new JsonStringEnumConverter<EntryKind>(JsonNamingPolicy.CamelCase),
            new JsonStringEnumConverter<SourceKind>(JsonNamingPolicy.CamelCase),
        },
        TypeInfoResolver = SnapshotManifestJson.Default,
    };
}

/// <param name="Name">The source's name in the set definition.</param>
/// <param name="Path">Where it was (a local path, or a path in a container or on a host).</param>
/// <param name="IsFile">The source is a single file: its one entry has the path ".".</param>
public sealed record SnapshotSource(string Name, SourceKind Kind, string Path, bool IsFile, IReadOnlyList<SnapshotEntry> Entries);

public enum EntryKind { File, Directory, Symlink }

/// <param name="Path">'/'-separated, relative to the source; "." for a single-file source.</param>
/// <param name="Sha256">A file's SHA-256 (of all of it, also when it is chunked).</param>
/// <param name="Chunks">A large file's content-defined chunks in order (see <see cref="ChunkStore"/>), each stored packed
/// under its own SHA-256; null: the file is stored whole under <paramref name="Sha256"/>.</param>
public sealed record SnapshotEntry(
    string Path,
    EntryKind Type,
    int Mode,
    long Size,
    long MTimeNs,
    string? Sha256 = null,
    string? Target = null,
    IReadOnlyList<SnapshotChunk>? Chunks = null
)
{
    /// <summary>What is stored for this entry: its chunks, or its whole content (nothing for folders and links).</summary>
    public IEnumerable<SnapshotChunk> StoredContents() =>
        Chunks ?? (Sha256 is null ? [] : [new SnapshotChunk(Sha256, Size)]);
}

/// <summary>One chunk of a chunked file: its SHA-256 (its name in the pack indexes) and its length.</summary>
public sealed record SnapshotChunk(string Sha256, long Size);

[JsonSerializable(typeof(SnapshotManifest))]
internal sealed partial class SnapshotManifestJson : JsonSerializerContext;
