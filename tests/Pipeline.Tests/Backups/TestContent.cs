using System.Security.Cryptography;

namespace Pipeline.Tests.Backups;

internal static class TestContent
{
    /// <summary>Deterministic bytes of a size, with their SHA-256 as a content is named.</summary>
    public static (string Sha, byte[] Bytes) Of(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes);
    }
}
