using System.Formats.Tar;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>Reads a .deb back: its control stanza and the entries of its archives (for the repository index and tests).</summary>
public static class DebReader
{
    public static string ReadControl(Stream deb) =>
        Encoding.UTF8.GetString(ReadTar(deb, "control.tar.gz").Single(e => e.Name == "./control").Content!);

    public static IReadOnlyList<(string Name, TarEntry Entry, byte[]? Content)> ReadTar(Stream deb, string member)
    {
        var (_, gzipped) = ArArchive.Read(deb).FirstOrDefault(m => m.Name == member);
        if (gzipped is null) throw new InvalidDataException($"the package has no {member}");
        using var reader = new TarReader(new MemoryStream(DeterministicGzip.Decompress(gzipped)));
        var entries = new List<(string, TarEntry, byte[]?)>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            byte[]? content = null;
            if (entry.DataStream is not null)
            {
                using var copy = new MemoryStream();
                entry.DataStream.CopyTo(copy);
                content = copy.ToArray();
            }
            entries.Add((entry.Name, entry, content));
        }
        return entries;
    }
}
