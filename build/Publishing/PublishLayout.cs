using Pipeline.Engine;

namespace Pipeline.Publishing;

/// <summary>
/// Where Publish and Promote read and leave things on this machine: the images to publish (<c>artifacts/images.json</c>),
/// what was published (<c>artifacts/published.json</c>), the registry-less transport's archives (<c>artifacts/images/</c>),
/// the local registry's folder (<c>.nuke/temp/registry</c>), and the root the git version is read in and that the
/// manifest's saved archives are relative to. One object, so no step joins paths by hand.
/// </summary>
/// <param name="Root">The repository root: git runs there, and images.json's saved archives are relative to it.</param>
/// <param name="Artifacts">The outputs of Images read, and published.json and the archives written.</param>
/// <param name="LocalRegistry">The local registry's configuration, password and storage.</param>
public sealed record PublishLayout(AbsolutePath Root, AbsolutePath Artifacts, AbsolutePath LocalRegistry)
{
    /// <summary>The layout of a build: artifacts in <paramref name="artifactsDirectory"/>, the local registry in
    /// <c>&lt;temporaryDirectory&gt;/registry</c>.</summary>
    public static PublishLayout Of(AbsolutePath root, AbsolutePath artifactsDirectory, AbsolutePath temporaryDirectory) =>
        new(root, artifactsDirectory, temporaryDirectory / "registry");

    /// <summary>artifacts/images.json: what Images baked.</summary>
    public AbsolutePath ImagesManifest => Artifacts / "images.json";

    /// <summary>artifacts/published.json: the digests (or archives) Deploy and Promote read.</summary>
    public AbsolutePath Published => Artifacts / "published.json";

    /// <summary>Where images are saved as tar archives when the environment has no registry.</summary>
    public AbsolutePath Archives => Artifacts / "images";

    /// <summary>A path images.json records (relative to <see cref="Root"/>, or absolute).</summary>
    public AbsolutePath Resolve(string path) => AbsolutePath.Parse(path, Root);

    /// <summary>A path as published.json and messages write it: relative to <see cref="Root"/>.</summary>
    public string Relative(AbsolutePath path) => path.RelativeTo(Root);
}
