using System.Security.Cryptography;

namespace Pipeline.IntegrationTests.Backups;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class TreeComparison
{
    /// <summary>Path → (kind, mode, mtime, content hash or link target) of everything under a folder.</summary>
    public static SortedDictionary<string, string> Describe(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target) result[relative] = $"link {target}";
            else if (Directory.Exists(path))
                result[relative] = $"dir {File.GetUnixFileMode(path)}";
            else
                result[relative] =
                    $"file {File.GetUnixFileMode(path)} {info.LastWriteTimeUtc:O} "
                    + $"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}";
        }
        return result;
    }
}
