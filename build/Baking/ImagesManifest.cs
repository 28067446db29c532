using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Baking;

/// <summary>One image of <c>artifacts/images.json</c>.</summary>
/// <param name="Tags">The content-addressed tag first, then the definition's tags.</param>
/// <param name="Parents">The images of images/ it starts from, nearest first.</param>
/// <param name="From">The exact FROM reference.</param>
/// <param name="Status"><c>built</c> or <c>up-to-date</c>.</param>
/// <param name="Saved">The saved tar (relative to the repository root), when the definition asks for one.</param>
public sealed record ManifestImage(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("imageId")] string ImageId,
    [property: JsonPropertyName("inputHash")] string InputHash,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("parents")] IReadOnlyList<string> Parents,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("saved")] string? Saved)
{
    public const string Built = "built";
    public const string UpToDate = "up-to-date";
    /// <summary>The content-addressed tag, <c>&lt;name&gt;:&lt;hash12&gt;</c>.</summary>
    [JsonIgnore] public string HashTag => Tags[0];
}

/// <summary>
/// <c>artifacts/images.json</c>: what the Images target baked, read by Publish, ClusterTest and Deploy.
/// Written only when every image baked.
/// </summary>
public sealed record ImagesManifest(
    [property: JsonPropertyName("bakedAt")] DateTimeOffset BakedAt,
    [property: JsonPropertyName("images")] IReadOnlyList<ManifestImage> Images)
{
    public ManifestImage this[string name] =>
        Images.FirstOrDefault(i => i.Name == name)
        ?? throw new Pipeline.Engine.PipelineException(
            $"artifacts/images.json has no image '{name}' (it has {string.Join(", ", Images.Select(i => i.Name))}); run ./build.sh Images"
        );

    public string ToJson() => JsonSerializer.Serialize(this, ImagesManifestJson.Default.ImagesManifest);

    public async Task WriteAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path + ".tmp", ToJson() + "\n", ct);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static ImagesManifest Read(string path) =>
        File.Exists(path)
            ? JsonSerializer.Deserialize(File.ReadAllText(path), ImagesManifestJson.Default.ImagesManifest)
                ?? throw new InvalidDataException($"{path} is empty")
            : throw new Pipeline.Engine.PipelineException($"{path} does not exist: run ./build.sh Images first");
}

/// <summary>images.json's serializer, generated at compile time (no reflection on the first write of a run).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImagesManifest))]
internal sealed partial class ImagesManifestJson : JsonSerializerContext;
