using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Packaging.Building;

/// <summary>DEBIAN/md5sums: one <c>hash  path</c> line per file, sorted, conffiles left out (as dh_md5sums does).</summary>
public static class Md5Sums
{
    public static string Render(IEnumerable<PackageFile> files, IReadOnlySet<string> conffiles)
    {
        var text = new StringBuilder();
        foreach (var file in files.Where(f => !conffiles.Contains(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal))
            text.Append(Convert.ToHexStringLower(MD5.HashData(file.Content))).Append("  ").Append(file.Path.TrimStart('/')).Append('\n');
        return text.ToString();
    }
}
