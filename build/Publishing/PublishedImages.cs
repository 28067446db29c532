using Pipeline.Engine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Publishing;

/// <summary>
/// One image in one registry, as Deploy reads it: the immutable <see cref="Reference"/>
/// (<c>repository@sha256:…</c>), never a tag. For an environment without a registry, <see cref="Archive"/> and
/// <see cref="ArchiveSha256"/> name the saved tar Deploy copies and loads, and <see cref="Reference"/> is the image id.
/// </summary>
public sealed record PublishedImage(
    string Name,
    string InputHash,
    string? Registry,
    string? Repository,
    string Digest,
    IReadOnlyList<string> Tags,
    string Reference)
{
    [JsonPropertyName("archive")] public string? Archive { get; init; }
    [JsonPropertyName("archiveSha256")] public string? ArchiveSha256 { get; init; }
    /// <summary>pushed, retagged, up-to-date, promoted, saved.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }
}

/// <summary>artifacts/published.json: <c>{"environment":"local","images":[…]}</c>, one entry per image per registry.</summary>
public sealed record PublishedManifest(string Environment, IReadOnlyList<PublishedImage> Images)
{
    public string ToJson() => JsonSerializer.Serialize(this, PublishedManifestJson.Default.PublishedManifest);

    public static PublishedManifest Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(json, PublishedManifestJson.Default.PublishedManifest)
                ?? throw new PipelineException($"{source}: empty.");
        }
        catch (JsonException e)
        {
            throw new PipelineException($"{source}: not a published-images file ({e.Message}); run ./build.sh Publish.");
        }
    }

    public static PublishedManifest Load(string path) =>
        File.Exists(path)
            ? Parse(File.ReadAllText(path), path)
            : throw new PipelineException($"{path} not found: run ./build.sh Publish first.");

    /// <summary>Writes through a temporary file, so a reader never sees half a file.</summary>
    public async Task WriteAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, ToJson() + "\n", ct);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>published.json's serializer, generated at compile time (no reflection on the first write of a run).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(PublishedManifest))]
internal sealed partial class PublishedManifestJson : JsonSerializerContext;
