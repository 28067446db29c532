using Pipeline.Tools.S3;
using System.Buffers;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// The content-addressed half of a repository: objects named by the SHA-256 of their bytes. Uploads hash what
/// they send and downloads hash what they receive, so a key always matches its content or the call fails.
/// </summary>
public sealed class ContentStore(IObjectStore store, ContentNaming? naming = null)
{
    /// <summary>Files up to this size are read into memory once, hashed and sent from the same bytes.</summary>
    public const long InMemoryLimit = S3ObjectStore.MultipartThreshold;

    private readonly ContentNaming _naming = naming ?? ContentNaming.Plain;

    /// <summary>The key of a content's own object: its name (its SHA-256, or keyed in an encrypted repository) in
    /// <c>objects/</c>.</summary>
    public string KeyOf(string sha256) => RepositoryLayout.Object(_naming.Name(sha256));

    /// <summary>The name a content is stored under.</summary>
    public string NameOf(string sha256) => _naming.Name(sha256);

    /// <summary>
    /// Whether the object is stored whole: present with the expected size. A store whose PUT is not atomic (s3rver)
    /// can keep a truncated object after an interrupted upload; it must be sent again, not trusted.
    /// </summary>
    public async Task<bool> ExistsAsync(string sha256, long size, CancellationToken ct) =>
        await store.SizeOfAsync(KeyOf(sha256), ct) == size;

    /// <summary>Every stored object's name (see <see cref="NameOf"/>) with its size.</summary>
    public async Task<Dictionary<string, long>> ListAsync(CancellationToken ct)
    {
        var objects = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var o in store.ListAsync(RepositoryLayout.Objects, ct))
            if (RepositoryLayout.HashOfObject(o.Key) is { } sha) objects[sha] = o.Size;
        return objects;
    }

    public async IAsyncEnumerable<ObjectInfo> ListObjectsAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct
    )
    {
        await foreach (var o in store.ListAsync(RepositoryLayout.Objects, ct))
            if (RepositoryLayout.HashOfObject(o.Key) is not null) yield return o;
    }

    public Task PutAsync(string sha256, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        store.PutAsync(KeyOf(sha256), content, ct);

    /// <summary>Streams a large file up under <paramref name="sha256"/>; when what was read hashes differently (the
    /// file changed meanwhile) the object is removed again and the new hash returned, otherwise null.</summary>
    public async Task<string?> PutFileAsync(string sha256, string path, CancellationToken ct)
    {
        await using var file = new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.ReadWrite,
            1 << 20,
            FileOptions.SequentialScan
        );
        await using var hashing = new HashingStream(file);
        await store.PutAsync(KeyOf(sha256), hashing, ct);
        var actual = hashing.Sha256();
        if (actual == sha256) return null;
        await store.DeleteAsync(KeyOf(sha256), ct);
        return actual;
    }

    /// <summary>Downloads an object into <paramref name="destination"/>, hashing on the way; the actual SHA-256
    /// (which differs from <paramref name="sha256"/> when the object is corrupt), or null when it is missing.</summary>
    public async Task<string?> DownloadAsync(string sha256, string destination, CancellationToken ct)
    {
        await using var body = await store.GetContentAsync(KeyOf(sha256), ct);
        if (body is null) return null;
        await using var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        return await HashAsync(body, file, ct);
    }

    /// <summary>Re-hashes a stored object without keeping it; null when it is missing.</summary>
    public async Task<string?> HashStoredAsync(string sha256, CancellationToken ct)
    {
        await using var body = await store.GetContentAsync(KeyOf(sha256), ct);
        return body is null ? null : await HashAsync(body, null, ct);
    }

    /// <summary>
    /// The SHA-256 of every byte of <paramref name="body"/> (copied on to <paramref name="copy"/>): read unchecked
    /// (<see cref="IObjectStore.GetContentAsync"/>), the hash tells damage the way a repository names it (content X hashes to Y).
    /// </summary>
    private static async Task<string> HashAsync(Stream body, Stream? copy, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(128 << 10);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                if (copy is not null) await copy.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
