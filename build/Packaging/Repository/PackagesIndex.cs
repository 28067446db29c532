using System.Text;

namespace Pipeline.Packaging.Repository;

/// <summary>The Packages file: each package's control stanza plus where it is and its size and hashes, sorted, blank line
/// between.</summary>
public static class PackagesIndex
{
    public sealed record Entry(string Control, IndexedFile Deb);

    public static string Render(IEnumerable<Entry> entries)
    {
        var stanzas = entries
            .Select(e => (Fields: ParseName(e.Control), e))
            .OrderBy(x => x.Fields.Name, StringComparer.Ordinal)
            .ThenBy(x => x.Fields.Version, StringComparer.Ordinal)
            .Select(x => Stanza(x.e));
        return string.Join("\n", stanzas);
    }

    private static string Stanza(Entry entry) =>
        new StringBuilder(entry.Control.TrimEnd('\n')).Append('\n')
            .Append("Filename: ").Append(entry.Deb.Path).Append('\n')
            .Append("Size: ").Append(entry.Deb.Size).Append('\n')
            .Append("MD5sum: ").Append(entry.Deb.Md5).Append('\n')
            .Append("SHA256: ").Append(entry.Deb.Sha256).Append('\n')
            .ToString();

    private static (string Name, string Version) ParseName(string control)
    {
        string Field(string key) =>
            control.Split('\n').FirstOrDefault(l => l.StartsWith(key + ": ", StringComparison.Ordinal))?[(key.Length + 2)..] ?? "";
        return (Field("Package"), Field("Version"));
    }
}
