using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Backups;

/// <summary>
/// What one pack holds: each content's SHA-256, where it starts in the pack and how long it is. Stored as
/// <c>index/&lt;pack sha256&gt;.json</c>, written only after the pack itself is stored whole, so an index that exists
/// always describes a complete pack (a pack without an index is the leftover of an interrupted run).
/// </summary>
public sealed record PackIndex(int Format, string Pack, IReadOnlyList<PackedBlob> Blobs)
{
    public const int CurrentFormat = 1;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, PackIndexJson.Default.PackIndex);

    public static PackIndex FromJson(ReadOnlySpan<byte> json, string key)
    {
        try
        {
            var index = JsonSerializer.Deserialize(json, PackIndexJson.Default.PackIndex) ?? throw new JsonException("empty");
            if (index.Format > CurrentFormat)
                throw new Engine.PipelineException(
                    $"Pack index {key} has format {index.Format}; this Pipeline reads up to {CurrentFormat} (update Pipeline)."
                );
            if (RepositoryLayout.PackOfIndex(key) is { } pack && pack != index.Pack)
                throw new JsonException($"it describes pack {index.Pack}");
            return index;
        }
        catch (JsonException e) { throw new UnreadablePackIndexException($"Pack index {key} is not valid ({e.Message})."); }
    }
}

/// <summary>An index whose text does not parse (S3 errors reading it are not this: they fail the run).</summary>
public sealed class UnreadablePackIndexException(string message) : Engine.PipelineException(message);

/// <summary>One content inside a pack.</summary>
public sealed record PackedBlob(string Sha256, long Offset, long Size);

/// <summary>Where a content is: in <paramref name="Pack"/> at <paramref name="Offset"/>.</summary>
public readonly record struct BlobLocation(string Pack, long Offset, long Size);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PackIndex))]
internal sealed partial class PackIndexJson : JsonSerializerContext;
