using Pipeline.Engine;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// Gets one file's content into the repository: hashes it unless the cache vouched for it, and stores it unless it
/// is known to be stored already — each hash at most once per run, however many files share it. Small files are
/// read once (hashed and packed from the same bytes, see <see cref="PackWriter"/>); larger ones are read once and
/// cut into chunks (<see cref="ChunkStore"/>), or, with chunking off, become objects of their own, the largest
/// streamed and re-verified.
/// </summary>
/// <param name="chunkAbove">Files larger than this are chunked.</param>
internal sealed class Transfer(
    ContentStore content,
    PackWriter packer,
    ConcurrentDictionary<string, bool> present,
    IReadOnlyDictionary<string, long>? listed,
    long chunkAbove = long.MaxValue
)
{
    private readonly ChunkStore _chunks = new(packer, present);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _inFlight = new(StringComparer.Ordinal);
    private int _uploadedObjects, _packedObjects, _readFiles;
    private long _uploadedBytes;

    /// <summary>Contents stored by this run (in packs or as objects).</summary>
    public int UploadedObjects => _uploadedObjects + _chunks.StoredChunks;
    public long UploadedBytes => Interlocked.Read(ref _uploadedBytes) + _chunks.StoredBytes;
    public int ReadFiles => _readFiles;
    /// <summary>Of <see cref="UploadedObjects"/>, those that went into packs (chunks always do).</summary>
    public int PackedObjects => _packedObjects + _chunks.StoredChunks;

    public async Task<Hashed> StoreAsync(PlannedFile file, CancellationToken ct)
    {
        var path = file.Entry.FullPath;
        if (file.KnownSha256 is { } known)
        {
            if (file.KnownChunks is { } chunks)
            {
                if (chunks.All(c => present.ContainsKey(c.Sha256))) return new Hashed(known, file.Entry.Stat.Size, chunks);
            }
            else if (present.ContainsKey(known)) return new Hashed(known, file.Entry.Stat.Size);
        }
        if (file.Entry.Stat.Size > chunkAbove)
        {
            await using var stream = new FileStream(
                path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.ReadWrite,
                bufferSize: 0,
                FileOptions.SequentialScan | FileOptions.Asynchronous
            );
            return await StoreStreamAsync(stream, ct);
        }
        for (var attempt = 1; ; attempt++)
        {
            if (file.Entry.Stat.Size <= ContentStore.InMemoryLimit)
            {
                var bytes = await File.ReadAllBytesAsync(path, ct);
                Interlocked.Increment(ref _readFiles);
                var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (bytes.Length <= PackWriter.MaxPackedSize)
                {
                    if (
                        !present.ContainsKey(sha)
                        && !(listed is not null && listed.TryGetValue(content.NameOf(sha), out var stored) && stored == bytes.Length)
                        && await packer.AddAsync(sha, bytes, ct)
                    )
                    {
                        Counted(bytes.Length);
                        Interlocked.Increment(ref _packedObjects);
                    }
                    return new Hashed(sha, bytes.Length);
                }
                await EnsureAsync(sha, bytes.Length, async () => { await content.PutAsync(sha, bytes, ct); return true; }, ct);
                return new Hashed(sha, bytes.Length);
            }
            var hash = file.KnownSha256 is { } k && attempt == 1 ? k : await FileHash.Sha256Async(path, ct);
            if (file.KnownSha256 is null || attempt > 1) Interlocked.Increment(ref _readFiles);
            string? changed = null;
            var size = new FileInfo(path).Length;
            await EnsureAsync(hash, size, async () => (changed = await content.PutFileAsync(hash, path, ct)) is null, ct);
            if (changed is null) return new Hashed(hash, size);
            _inFlight.TryRemove(hash, out _);
            if (attempt == 3)
                throw new PipelineException(
                    $"{path} kept changing while it was being backed up (3 attempts); stop what writes it, or exclude it."
                );
            Log.Warning($"{path} changed while it was being sent; reading it again.");
        }
    }

    /// <summary>Stores a stream (a large file, or a dump) as chunks; its hash, length and chunks for its manifest entry.
    /// What it read is what is stored, so a file that changes meanwhile is kept as read (its next backup reads it again).</summary>
    public async Task<Hashed> StoreStreamAsync(Stream source, CancellationToken ct)
    {
        var stored = await _chunks.StoreStreamAsync(source, ct);
        Interlocked.Increment(ref _readFiles);
        return stored.Hashed;
    }

    /// <summary>Makes sure an object exists whole: known, found with its size (listed, or looked up by key) or sent now.</summary>
    private Task EnsureAsync(string sha, long size, Func<Task<bool>> send, CancellationToken ct)
    {
        if (present.ContainsKey(sha)) return Task.CompletedTask;
        return _inFlight.GetOrAdd(sha, _ => new Lazy<Task>(async () =>
        {
            // Stored whole (the listed or looked-up size matches), or sent (again: a truncated object is replaced).
            var stored = listed is null
                ? await content.ExistsAsync(sha, size, ct)
                : listed.TryGetValue(content.NameOf(sha), out var s) && s == size;
            if (stored) { present[sha] = true; return; }
            if (!await send()) return;
            Counted(size);
            present[sha] = true;
        })).Value;
    }

    private void Counted(long size)
    {
        Interlocked.Increment(ref _uploadedObjects);
        Interlocked.Add(ref _uploadedBytes, size);
    }
}
