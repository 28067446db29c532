using Pipeline.Packaging.Definitions;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>The bytes of a binary package: debian-binary, control.tar.gz, data.tar.gz in an ar archive, all stamped with the commit
/// time.</summary>
public static class DebBuilder
{
    public static byte[] Build(PackageDefinition definition, SourceRevision revision, byte[] executable)
    {
        var version = PackageVersion.Compose(definition.Version, revision);
        var files = PackageLayout.Files(definition, version, revision, executable);
        var conffiles = definition.ConfigFiles.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);

        var control = new List<PackageFile>
        {
            new(
                "/control",
                Utf8(ControlFile.Render(ControlFile.Fields(definition, version, PackageLayout.InstalledSizeKiB(files)))),
                PackageFile.Regular
            ),
            new("/md5sums", Utf8(Md5Sums.Render(files, conffiles)), PackageFile.Regular),
        };
        if (conffiles.Count > 0)
            control.Add(
                new("/conffiles", Utf8(string.Concat(conffiles.Order(StringComparer.Ordinal).Select(c => c + "\n"))), PackageFile.Regular)
            );
        control.AddRange(
            MaintainerScripts.Render(definition).Select(s => new PackageFile("/" + s.Key, Utf8(s.Value), PackageFile.Executable))
        );

        using var deb = new MemoryStream();
        ArArchive.Write(deb,
        [
            ("debian-binary", Utf8("2.0\n")),
            ("control.tar.gz", DeterministicTar.CreateGzipped(control, revision.CommitTime)),
            ("data.tar.gz", DeterministicTar.CreateGzipped(files, revision.CommitTime)),
        ], revision.CommitTime);
        return deb.ToArray();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
