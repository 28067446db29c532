using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Baking;

/// <summary>
/// An image's input hash: SHA-256 over the generated Dockerfile (which carries every provisioner and setting, inline
/// scripts, and the FROM reference), every context file (path, mode, content: files, scripts, installed .debs), and
/// the parent's input hash. Same inputs, same hash, on any machine. A .deb unchanged since the apt index was written
/// counts through the SHA-256 the index states (<see cref="AptPackage.IndexedSha256"/>): a no-op bake reads no package.
/// </summary>
public static class InputHash
{
    public const string Version = "pipeline-bake/1";

    public static string Compute(GeneratedImage generated, string parentHash)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) { sha.AppendData(Encoding.UTF8.GetBytes(text)); sha.AppendData("\0"u8); }
        Add(Version);
        Add($"parent {parentHash}");
        Add(generated.Dockerfile);
        foreach (var entry in generated.Entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            Add($"file {entry.Path} {Convert.ToString((int)entry.Mode, 8)}");
            Add(entry.Sha256 ?? Convert.ToHexStringLower(SHA256.HashData(entry.ReadAllBytes())));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The key of a debootstrap base: suite, variant, mirror and extra packages.</summary>
    public static string Debootstrap(ImageSource.Debootstrap d) =>
        Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes($"debootstrap\0{d.Suite}\0{d.Variant}\0{d.Mirror}\0{string.Join(',', d.Packages)}"))
        );

    /// <summary>The first 12 hex digits, used in tags.</summary>
    public static string Short(string hash) => hash[..12];
}
