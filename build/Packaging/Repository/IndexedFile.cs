using System.Security.Cryptography;

namespace Pipeline.Packaging.Repository;

/// <summary>A file a Release lists: its path relative to the repository, size and hashes.</summary>
public sealed record IndexedFile(string Path, long Size, string Md5, string Sha256)
{
    public static IndexedFile Of(string path, byte[] content) =>
        new(path, content.LongLength, Convert.ToHexStringLower(MD5.HashData(content)), Convert.ToHexStringLower(SHA256.HashData(content)));
}
