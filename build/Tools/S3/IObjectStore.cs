namespace Pipeline.Tools.S3;

/// <summary>
/// The narrow view of S3 the capabilities use (backups, ACME state, deploy locks). The implementation
/// (<see cref="S3ObjectStore"/>) speaks to any S3-compatible endpoint through AWSSDK.S3 (reads, multipart uploads,
/// conditional writes) and its own signed requests (small writes, listings, deletes); s3rver from npm serves it locally.
/// </summary>
public interface IObjectStore
{
    Task PutAsync(string key, Stream content, CancellationToken ct);
    /// <summary>Stores content already in memory (manifests, packs, markers, small files) without copying it. The memory is
    /// borrowed for the call only (a sealed pack's buffer goes back to a pool): keep a copy to hold it longer.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct);
    /// <summary>Stores the first <paramref name="length"/> bytes of a buffer its owner gives up: the store may overwrite all of
    /// it meanwhile (an encrypted repository seals a pack where it lies, and needs no second buffer).</summary>
    Task PutOwnedAsync(string key, byte[] buffer, int length, CancellationToken ct) => PutAsync(key, buffer.AsMemory(0, length), ct);
    /// <summary>The object's content, or null when there is none; a body that does not match its ETag fails naming the object.</summary>
    Task<Stream?> GetAsync(string key, CancellationToken ct);
    /// <summary>
    /// The content of a content-addressed object (a backup's whole-file object), unchecked against the ETag: its reader
    /// hashes every byte itself and names the damage from that, so a second hash (MD5) over the same bytes is waste.
    /// </summary>
    Task<Stream?> GetContentAsync(string key, CancellationToken ct) => GetAsync(key, ct);
    Task<bool> ExistsAsync(string key, CancellationToken ct);
    /// <summary>Every key under <paramref name="prefix"/>, listed flat (s3rver drops folder-only prefixes with a delimiter).</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken ct);
    Task DeleteAsync(string key, CancellationToken ct);
}

public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified, string? ETag);

public static class ObjectStoreExtensions
{
    /// <summary>The stored size of exactly <paramref name="key"/>, or null when there is no such object (one listing
    /// by the key as prefix: works on every S3-compatible store, and never starts the SDK).</summary>
    public static async Task<long?> SizeOfAsync(this IObjectStore store, string key, CancellationToken ct)
    {
        await foreach (var o in store.ListAsync(key, ct))
            if (o.Key == key) return o.Size;
        return null;
    }
}
