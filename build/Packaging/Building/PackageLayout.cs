using Pipeline.Packaging.Definitions;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>Every file a package installs, from its definition and the published executable.</summary>
public static class PackageLayout
{
    public static IReadOnlyList<PackageFile> Files(PackageDefinition definition, string version, SourceRevision revision, byte[] executable)
    {
        var files = new List<PackageFile> { new(definition.InstalledExecutable, executable, PackageFile.Executable) };
        if (definition.Service is not null)
            files.Add(
                new PackageFile(
                    SystemdUnit.PathOf(definition.Name),
                    Encoding.UTF8.GetBytes(SystemdUnit.Render(definition)),
                    PackageFile.Regular
                )
            );
        // A conffile for the service's group is shipped 0644 root:root (it holds no secret yet); postinst's
        // dpkg-statoverride gives it its group and mode, and dpkg keeps that on upgrades.
        files.AddRange(
            definition.ConfigFiles.Select(c => new PackageFile(c.Path, c.Content, c.Group == "root" ? c.Mode : PackageFile.Regular))
        );
        if (definition.LintianOverrides.Count > 0)
            files.Add(
                new PackageFile(
                    $"/usr/share/lintian/overrides/{definition.Name}",
                    Encoding.UTF8.GetBytes(string.Concat(definition.LintianOverrides.Select(o => $"{definition.Name}: {o}\n"))),
                    PackageFile.Regular
                )
            );
        files.AddRange(DocumentationFiles.For(definition, version, revision));
        return files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>Installed-Size as dpkg-gencontrol counts it: each file rounded up to KiB, plus one per directory.</summary>
    public static long InstalledSizeKiB(IReadOnlyList<PackageFile> files) =>
        files.Sum(f => (f.Content.LongLength + 1023) / 1024) +
        DeterministicTar.Entries(files).Count(e => e.File is null);
}
