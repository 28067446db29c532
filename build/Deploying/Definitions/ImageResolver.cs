using System.Text.Json;
using Pipeline.Engine;

namespace Pipeline.Deploying.Definitions;

/// <summary>
/// Resolves a group's <c>image</c> to an immutable reference, never a tag:
/// <list type="number">
/// <item>a literal <c>repo@sha256:…</c> or local image id <c>sha256:…</c> is used as written;</item>
/// <item>a name is looked up in artifacts/published.json (<c>reference</c>, a registry digest);</item>
/// <item>failing that, only for the docker provider on this machine, in artifacts/images.json (<c>id</c>, a local image id:
/// the local environment and tests deploy what Images built without a registry).</item>
/// </list>
/// </summary>
public sealed class ImageResolver(string artifactsDirectory)
{
    public string Resolve(GroupDefinition group)
    {
        var image = group.Image;
        if (image.Contains("@sha256:", StringComparison.Ordinal) || image.StartsWith("sha256:", StringComparison.Ordinal)) return image;
        if (image.Contains(':') || image.Contains('/'))
            throw new UsageException($"groups/{group.Name}/image: '{image}' is a tag, and tags move (name an image from artifacts/published.json, or write repo@sha256:…)");
        if (Lookup("published.json", image, "reference") is { } reference) return reference;
        if (group.Provider == ProviderKind.Docker && Lookup("images.json", image, "id") is { } id) return id;
        throw new PipelineException($"groups/{group.Name}/image: '{image}' is not in artifacts/published.json (run Publish first)");
    }

    /// <summary>Images of that name Publish saved as tars (no registry): <c>archive</c> and <c>archiveSha256</c> in artifacts/published.json.</summary>
    public IReadOnlyList<Ssh.SavedImage> SavedArchives(string name)
    {
        var path = Path.Combine(artifactsDirectory, "published.json");
        if (!File.Exists(path)) return [];
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("images", out var images)) return [];
        return images.EnumerateArray()
            .Where(i => i.TryGetProperty("name", out var n) && n.GetString() == name && i.TryGetProperty("archive", out var a) && a.ValueKind == JsonValueKind.String)
            .Select(i => new Ssh.SavedImage(i.GetProperty("reference").GetString()!, i.GetProperty("archive").GetString()!,
                i.TryGetProperty("archiveSha256", out var h) ? h.GetString() : null))
            .ToList();
    }

    private string? Lookup(string file, string name, string field)
    {
        var path = Path.Combine(artifactsDirectory, file);
        if (!File.Exists(path)) return null;
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("images", out var images)) return null;
        foreach (var image in images.EnumerateArray())
            if (image.TryGetProperty("name", out var n) && n.GetString() == name && image.TryGetProperty(field, out var value))
                return value.GetString();
        return null;
    }

    /// <summary>How a reference reads in plans: <c>heartbeat@sha256:ab12cd34ef56…</c>.</summary>
    public static string Short(string reference)
    {
        var at = reference.IndexOf("@sha256:", StringComparison.Ordinal);
        if (at < 0) return reference.StartsWith("sha256:", StringComparison.Ordinal) ? $"{reference[..19]}…" : reference;
        var repo = reference[..at];
        var name = repo[(repo.LastIndexOf('/') + 1)..];
        return $"{name}@{reference.Substring(at + 1, Math.Min(19, reference.Length - at - 1))}…";
    }

    /// <summary>The digest part only, for the right side of a change: <c>@sha256:cd34…</c>.</summary>
    public static string DigestOnly(string reference)
    {
        var s = Short(reference);
        var at = s.IndexOf('@');
        return at >= 0 ? s[at..] : s;
    }
}
