using Pipeline.Engine;
using Pipeline.Publishing;

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
/// <param name="artifacts">Where published.json and images.json are read (the deploy layout's artifacts).</param>
public sealed class ImageResolver(AbsolutePath artifacts)
{
    // Read once per resolver, through the readers of their writers (clear errors naming the file).
    private readonly Lazy<IReadOnlyList<PublishedImage>> _published = new(() =>
        artifacts / "published.json" is var path && path.Exists ? PublishedManifest.Load(path).Images ?? [] : []
    );
    private readonly Lazy<IReadOnlyList<BuiltImage>> _built = new(() =>
        artifacts / "images.json" is var path && path.Exists ? BuiltImages.Load(path) : []);

    public string Resolve(GroupDefinition group)
    {
        var image = group.Image;
        if (image.Contains("@sha256:", StringComparison.Ordinal) || image.StartsWith("sha256:", StringComparison.Ordinal)) return image;
        if (image.Contains(':') || image.Contains('/'))
            throw new UsageException(
                $"groups/{group.Name}/image: '{image}' is a tag, and tags move (name an image from artifacts/published.json, or write "
                + $"repo@sha256:…)"
            );
        if (_published.Value.FirstOrDefault(i => i.Name == image) is { } published) return published.Reference;
        if (group.Provider == ProviderKind.Docker && _built.Value.FirstOrDefault(i => i.Name == image) is { } built) return built.Id;
        throw new PipelineException($"groups/{group.Name}/image: '{image}' is not in artifacts/published.json (run Publish first)");
    }

    /// <summary>Images of that name Publish saved as tars (no registry): <c>archive</c> and <c>archiveSha256</c> in
    /// artifacts/published.json.</summary>
    public IReadOnlyList<Ssh.SavedImage> SavedArchives(string name) =>
        _published
            .Value.Where(i => i.Name == name && i.Archive is not null)
            .Select(i => new Ssh.SavedImage(i.Reference, i.Archive!, i.ArchiveSha256))
            .ToList();

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
