using System.Security.Cryptography;

namespace Pipeline.Engine;

/// <summary>The SHA-256 of a file as lower-case hex, read front to back once (also while another process appends).</summary>
public static class FileHash
{
    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var file = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.ReadWrite,
            1 << 20,
            FileOptions.SequentialScan
        );
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}
