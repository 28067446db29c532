using Pipeline.Engine;
using Pipeline.Packaging.Execution;

namespace Pipeline;

/// <summary>Apps into Debian packages and a local APT repository (artifacts/packages, artifacts/apt).</summary>
partial class Build
{
    [Parameter("Armoured GPG private key (no passphrase) to sign artifacts/apt/Release with; unsigned repositories need [trusted=yes].")]
    [Secret]
    readonly string? AptSigningKey;

    Target Packages => _ => _
        .Description("Build apps/*/package.yml into reproducible .deb packages and a local APT repository in artifacts/apt.")
        .Needs(Tool.Apt("dpkg-deb", "dpkg"), Tool.Apt("git"), Tool.Apt("gpg"))
        .Executes(async ct =>
            await new PackagesExecutor(PackageLayout.Of(RootDirectory, ArtifactsDirectory, TemporaryDirectory), AptSigningKey)
                .RunAsync(ct));
}
