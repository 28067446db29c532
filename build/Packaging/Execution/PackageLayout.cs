using Pipeline.Engine;

namespace Pipeline.Packaging.Execution;

/// <summary>
/// Where Packages reads and leaves things on this machine: the apps and shared inputs (the repository root), the .debs
/// (<c>artifacts/packages</c>), the APT repository and its pool (<c>artifacts/apt</c>), and its own state
/// (<c>.nuke/temp/packages</c>: input stamps, publish folders, the signing keyring). One object, so no step joins
/// paths by hand.
/// </summary>
/// <param name="Root">The repository root: apps/, the inputs hashed, and the base of the paths it prints.</param>
/// <param name="Artifacts">The outputs handed to Images.</param>
/// <param name="StateDirectory">Packages' local state.</param>
public sealed record PackageLayout(AbsolutePath Root, AbsolutePath Artifacts, AbsolutePath StateDirectory)
{
    /// <summary>The layout of a build: outputs in <paramref name="artifactsDirectory"/>, state in
    /// <c>&lt;temporaryDirectory&gt;/packages</c>.</summary>
    public static PackageLayout Of(AbsolutePath root, AbsolutePath artifactsDirectory, AbsolutePath temporaryDirectory) =>
        new(root, artifactsDirectory, temporaryDirectory / "packages");

    /// <summary>artifacts/packages: one .deb per app.</summary>
    public AbsolutePath Packages => Artifacts / "packages";

    /// <summary>artifacts/apt: the APT repository Images installs from.</summary>
    public AbsolutePath Repository => Artifacts / "apt";

    /// <summary>The repository's pool, where the .debs are indexed from.</summary>
    public AbsolutePath Pool => Repository / Packaging.Repository.AptRepositoryWriter.PoolFolder;

    /// <summary>The stamp of an app's last build (its inputs' hash and version).</summary>
    public AbsolutePath Stamp(string app) => StateDirectory / $"{app}.state";

    /// <summary>The SDK version <c>dotnet --version</c> gave, under the key of what decides it (<see cref="SdkVersionCache"/>).</summary>
    public AbsolutePath SdkVersion => StateDirectory / "sdk-version";

    /// <summary>Where an app is published before it is packed.</summary>
    public AbsolutePath Publish(string app) => StateDirectory / app / "publish";
}
