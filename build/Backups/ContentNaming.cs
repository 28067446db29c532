using Pipeline.Tools.S3;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// The name a content is stored under, as the storage provider sees it: its SHA-256 in a plain repository, and in an
/// encrypted one the HMAC-SHA256 of it under a key derived from the master key, so the provider cannot confirm a guess
/// of what a file holds. A write-only host names its contents with a key of its own, recorded (sealed) in its
/// snapshots so the operators find them. Inside sealed manifests and indexes contents keep their SHA-256.
/// </summary>
public sealed class ContentNaming(byte[]? key)
{
    public static readonly ContentNaming Plain = new(null);

    /// <summary>The key is written into each snapshot this run makes (a write-only host's own key).</summary>
    public bool Recorded { get; init; }

    public string? RecordedKey => Recorded && key is not null ? Convert.ToBase64String(key) : null;

    public string Name(string sha256) =>
        key is null ? sha256 : Convert.ToHexStringLower(HMACSHA256.HashData(key, Convert.FromHexString(sha256)));

    /// <summary>How the run writing to <paramref name="store"/> names contents (opens an encrypted repository's keys).</summary>
    public static async Task<ContentNaming> OfWriterAsync(IObjectStore store, CancellationToken ct) =>
        store is SealedObjectStore sealedStore ? (await sealedStore.CipherAsync(ct)).Naming : Plain;

    /// <summary>How <paramref name="manifest"/>'s contents are named in the repository behind <paramref name="store"/>.</summary>
    public static async Task<ContentNaming> OfAsync(IObjectStore store, SnapshotManifest? manifest, CancellationToken ct) =>
        manifest?.Naming is { } recorded ? new ContentNaming(Convert.FromBase64String(recorded)) : await OfWriterAsync(store, ct);
}
