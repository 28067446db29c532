using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>What a stream became: the SHA-256 and length of all of it, and its chunks in order.</summary>
public sealed record StoredStream(string Sha256, long Size, IReadOnlyList<SnapshotChunk> Chunks)
{
    public Hashed Hashed => new(Sha256, Size, Chunks);
}

/// <summary>
/// Stores a stream as content-defined chunks (<see cref="Chunker"/>, <see cref="ChunkSizes.Default"/>): each chunk is
/// named by its SHA-256 and added to the run's packs unless the repository has it already, so a large file or a dump
/// that changed a little sends little more than what changed. The stream is read once, front to back, and may be of
/// unknown length (a pipe from <c>pg_dump</c>); nothing is written to disk.
/// </summary>
/// <param name="present">Contents known to be stored (every pack index's); chunks found there are not sent.</param>
public sealed class ChunkStore(PackWriter packer, ConcurrentDictionary<string, bool> present, ChunkSizes? sizes = null)
{
    private int _storedChunks;
    private long _storedBytes;

    /// <summary>Chunks this store added to the packs (new to the repository), and their bytes.</summary>
    public int StoredChunks => _storedChunks;
    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    /// <summary>Reads <paramref name="source"/> to its end and stores its chunks. The contents are stored only once the
    /// run's <see cref="PackWriter.CompleteAsync"/> returned: write the manifest that names them after that.</summary>
    public async Task<StoredStream> StoreStreamAsync(Stream source, CancellationToken ct)
    {
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = new List<SnapshotChunk>();
        long size = 0;
        await foreach (var chunk in Chunker.ChunksAsync(source, sizes ?? ChunkSizes.Default, ct))
        {
            whole.AppendData(chunk.Span);
            var sha = Convert.ToHexStringLower(SHA256.HashData(chunk.Span));
            chunks.Add(new SnapshotChunk(sha, chunk.Length));
            size += chunk.Length;
            if (present.ContainsKey(sha) || !await packer.AddAsync(sha, chunk, ct)) continue;
            Interlocked.Increment(ref _storedChunks);
            Interlocked.Add(ref _storedBytes, chunk.Length);
        }
        return new StoredStream(Convert.ToHexStringLower(whole.GetHashAndReset()), size, chunks);
    }
}
