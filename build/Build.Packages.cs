using Pipeline.Engine;

namespace Pipeline;

/// <summary>Apps into Debian packages and a local APT repository (artifacts/packages, artifacts/apt).</summary>
partial class Build
{
    Target Packages => _ => _
        .Description("Build apps/*/package.yml into reproducible .deb packages and a local APT repository in artifacts/apt.")
        .Needs(Tool.Apt("dpkg-deb", "dpkg"), Tool.Apt("git"))
        .Executes(() => NotYet(nameof(Packages), 3));
}
