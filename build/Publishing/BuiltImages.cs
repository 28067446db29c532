using Pipeline.Engine;
using System.Text.Json;

namespace Pipeline.Publishing;

/// <summary>One image of artifacts/images.json (written by Images); unknown fields are ignored.</summary>
/// <param name="Saved">The archive Images wrote for it (<c>save: true</c>), relative to the root, if any.</param>
public sealed record BuiltImage(string Name, string Id, string InputHash, IReadOnlyList<string> Tags, string? Saved = null);

/// <summary>Reads artifacts/images.json tolerantly: <c>{"images":[{"name","id","inputHash","tags",…}]}</c>.</summary>
public static class BuiltImages
{
    public static IReadOnlyList<BuiltImage> Load(string path)
    {
        if (!File.Exists(path))
            throw new PipelineException($"{path} not found: run ./build.sh Images first (Publish depends on it).");
        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<BuiltImage> Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new PipelineException($"{source}: not valid JSON ({e.Message}); run ./build.sh Images again."); }
        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array)
                throw new PipelineException($"{source}: no \"images\" list; run ./build.sh Images again.");
            var list = new List<BuiltImage>();
            var index = 0;
            foreach (var image in images.EnumerateArray())
            {
                string Field(params string[] names)
                {
                    foreach (var n in names)
                        if (image.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
                            return s;
                    throw new PipelineException($"{source}: images[{index}] has no \"{names[0]}\"; run ./build.sh Images again.");
                }
                var tags = image.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array
                    ? t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList() : [];
                var saved = image.TryGetProperty("saved", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                list.Add(new BuiltImage(Field("name"), Field("id", "imageId"), Field("inputHash", "hash"), tags, saved));
                index++;
            }
            return list;
        }
    }
}
