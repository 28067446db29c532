using System.Globalization;
using System.Text;

namespace Pipeline.Packaging.Repository;

/// <summary>The Release file of a flat repository: what it is, when, and the size and hashes of each index, by-hash enabled.</summary>
public static class ReleaseFile
{
    public static string Render(DateTimeOffset date, IReadOnlyList<IndexedFile> indexes)
    {
        var text = new StringBuilder()
            .Append("Origin: Pipeline\n")
            .Append("Label: Pipeline\n")
            .Append("Suite: stable\n")
            .Append("Codename: pipeline\n")
            .Append("Date: ")
            .Append(date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture))
            .Append(" UTC\n")
            .Append("Architectures: amd64\n")
            .Append("Acquire-By-Hash: yes\n")
            .Append("MD5Sum:\n");
        foreach (var file in indexes)
            text.Append(' ').Append(file.Md5).Append(' ').Append(Size(file)).Append(' ').Append(file.Path).Append('\n');
        text.Append("SHA256:\n");
        foreach (var file in indexes)
            text.Append(' ').Append(file.Sha256).Append(' ').Append(Size(file)).Append(' ').Append(file.Path).Append('\n');
        return text.ToString();
    }

    private static string Size(IndexedFile file) => file.Size.ToString(CultureInfo.InvariantCulture).PadLeft(8);

    /// <summary>The SHA-256 hashes a Release lists (to keep their by-hash copies while readers may still use it).</summary>
    public static IEnumerable<string> Sha256Hashes(string release) =>
        release.Split('\n')
            .SkipWhile(line => line != "SHA256:").Skip(1)
            .TakeWhile(line => line.StartsWith(' '))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
}
