using Pipeline.Engine;

namespace Pipeline.Baking;

/// <summary>
/// Where a bake reads and leaves things on this machine: the local apt repository it installs from
/// (<c>artifacts/apt</c>), the manifest it writes (<c>artifacts/images.json</c>), the saved images
/// (<c>artifacts/images</c>), and its cache of debootstrap root file systems (<c>.nuke/temp/debootstrap</c>). One
/// object, so no step joins paths by hand.
/// </summary>
/// <param name="Root">The repository root: saved images are recorded relative to it.</param>
/// <param name="Artifacts">The outputs handed to the next targets.</param>
/// <param name="DebootstrapCache">Where debootstrap root file systems are cached (tests share the repository's).</param>
public sealed record ImageLayout(AbsolutePath Root, AbsolutePath Artifacts, AbsolutePath DebootstrapCache)
{
    /// <summary>The layout of a build: outputs in <paramref name="artifactsDirectory"/>, the cache in
    /// <c>&lt;temporaryDirectory&gt;/debootstrap</c>.</summary>
    public static ImageLayout Of(AbsolutePath root, AbsolutePath artifactsDirectory, AbsolutePath temporaryDirectory) =>
        new(root, artifactsDirectory, temporaryDirectory / "debootstrap");

    /// <summary>The apt repository Packages wrote, which images install from.</summary>
    public AbsolutePath AptRepository => Artifacts / "apt";

    /// <summary>artifacts/images.json: what was baked, by input hash.</summary>
    public AbsolutePath Manifest => Artifacts / "images.json";

    /// <summary>Where images marked to be saved are written as tar archives.</summary>
    public AbsolutePath SaveDirectory => Artifacts / "images";
}
