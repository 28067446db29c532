namespace Pipeline.Packaging.Building;

/// <summary>Composes the Debian version <c>&lt;semver&gt;+g&lt;sha&gt;</c>, with <c>.dirty</c> when the inputs are not committed.</summary>
public static class PackageVersion
{
    /// <summary>A semver pre-release (<c>1.0.0-rc.1</c>) becomes <c>1.0.0~rc.1</c>, so Debian sorts it before 1.0.0.</summary>
    public static string Compose(string semanticVersion, SourceRevision revision)
    {
        var upstream = semanticVersion.Replace('-', '~');
        return $"{upstream}+g{revision.ShortSha}{(revision.Dirty ? ".dirty" : "")}";
    }

    /// <summary>The file name dpkg-name would give: <c>name_version_arch.deb</c> (an epoch's ':' would become '%3a').</summary>
    public static string FileName(string name, string version, string architecture = "amd64") =>
        $"{name}_{version.Replace(":", "%3a")}_{architecture}.deb";
}
