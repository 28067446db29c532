using Pipeline.Packaging.Definitions;
using System.Globalization;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>/usr/share/doc/&lt;name&gt;/copyright and changelog.gz (a native package's changelog, one entry per build), and the manual
/// page.</summary>
public static class DocumentationFiles
{
    public static IEnumerable<PackageFile> For(PackageDefinition definition, string version, SourceRevision revision)
    {
        var directory = $"/usr/share/doc/{definition.Name}";
        yield return new PackageFile($"{directory}/copyright", Encoding.UTF8.GetBytes(Copyright(definition)), PackageFile.Regular);
        yield return new PackageFile($"{directory}/changelog.gz",
            DeterministicGzip.Compress(Encoding.UTF8.GetBytes(Changelog(definition, version, revision))), PackageFile.Regular);
        yield return new PackageFile(ManualPage.PathOf(definition.Name),
            DeterministicGzip.Compress(Encoding.UTF8.GetBytes(ManualPage.Render(definition, version, revision))), PackageFile.Regular);
    }

    public static string Copyright(PackageDefinition definition) =>
        $"{definition.Name}: built by Pipeline from {definition.Source}\n\n" +
        $"Copyright: {definition.Copyright}\n" +
        $"License: {definition.License}\n";

    public static string Changelog(PackageDefinition definition, string version, SourceRevision revision) =>
        $"{definition.Name} ({version}) unstable; urgency=medium\n\n"
        + $"  * Built from commit {revision.ShortSha}{(revision.Dirty ? " with uncommitted changes" : "")}.\n\n"
        + $" -- {definition.Maintainer}  "
            + $"{revision.CommitTime.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} +0000\n";
}
