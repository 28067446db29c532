using Pipeline.Tools.S3;
using System.Collections.Concurrent;

namespace Pipeline.Tests.Backups;

/// <summary>Objects in a dictionary, with the time each was written: enough for the repository format's own logic
/// (the S3 round trips run against s3rver in the integration tests).</summary>
internal sealed class MemoryObjectStore : IObjectStore
{
    public ConcurrentDictionary<string, byte[]> Objects { get; } = new();
    public ConcurrentQueue<string> Puts { get; } = new();
    public ConcurrentDictionary<string, DateTimeOffset> Modified { get; } = new();
    /// <summary>The keys read, in order (one per GET).</summary>
    public ConcurrentQueue<string> Gets { get; } = new();

    public async Task PutAsync(string key, Stream content, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, ct);
        Objects[key] = copy.ToArray();
        Modified[key] = DateTimeOffset.UtcNow;
        Puts.Enqueue(key);
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        PutAsync(key, new MemoryStream(content.ToArray()), ct);
    public Task<Stream?> GetAsync(string key, CancellationToken ct)
    {
        Gets.Enqueue(key);
        return Task.FromResult<Stream?>(Objects.TryGetValue(key, out var b) ? new MemoryStream(b) : null);
    }
    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(Objects.ContainsKey(key));

    public async IAsyncEnumerable<ObjectInfo> ListAsync(
        string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct
    )
    {
        await Task.CompletedTask;
        foreach (
            var (key, bytes) in Objects
                .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(o => o.Key, StringComparer.Ordinal)
        )
            yield return new ObjectInfo(key, bytes.Length, Modified.GetValueOrDefault(key, DateTimeOffset.UtcNow), null);
    }

    public Task DeleteAsync(string key, CancellationToken ct) => Task.FromResult(Objects.TryRemove(key, out _));
}
