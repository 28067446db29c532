using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>A chunk of a stored stream that is missing or does not hash to its name; <see cref="Key"/> is the object
/// (a pack, or the chunk's own object) it was read from.</summary>
public sealed class DamagedChunkException(string key, string message) : PipelineException(message)
{
    public string Key { get; } = key;
}

/// <summary>
/// Reads a stream stored as chunks (a dump, see <see cref="ChunkStore"/>) back in order into a pipe or a file, never
/// through a temporary file: each chunk's SHA-256 is checked before a byte of it is written. A chunk comes from the pack
/// its index names: one streamed GET of a pack brings every chunk wanted from it within the next <see cref="Window"/> bytes
/// of the stream, so a dump whose changed chunks sit in a newer pack does not fetch the older pack again after each of
/// them. A chunk no index names is read from its own object: snapshots written before dumps were chunked hold them as
/// fixed-size pieces of their own, and still restore. A few GETs run ahead of the writing; memory stays a few packs.
/// </summary>
public sealed class ChunkedStreamReader(IObjectStore store, ContentNaming naming, PackIndexes indexes, int ahead = 3)
{
    /// <summary>How far ahead in the stream a pack's GET collects the chunks wanted from that pack.</summary>
    public const long Window = 64L << 20;

    private readonly ContentStore _content = new(store, naming);
    private readonly Dictionary<string, BlobLocation> _locations = indexes.Locations();

    /// <summary>One GET: the wanted chunks of <see cref="Pack"/>, or (no pack) the one content stored as <see cref="Key"/>.</summary>
    private sealed record Fetch(string? Pack, string Key, List<PackedBlob> Blobs);

    /// <summary>Writes the chunks to <paramref name="destination"/> in order; a missing or corrupt one stops it with
    /// <see cref="DamagedChunkException"/> naming its object, before anything of it is written. Returns the bytes written.</summary>
    public async Task<long> CopyToAsync(IReadOnlyList<SnapshotChunk> chunks, Stream destination, string description, CancellationToken ct)
    {
        var (fetches, fetchOf) = Plan(chunks);
        var uses = new int[fetches.Count];
        foreach (var f in fetchOf) uses[f]++;
        var loads = new Task<Dictionary<string, byte[]>>?[fetches.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var (started, written) = (0, 0L);
        try
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                var f = fetchOf[i];
                for (; started < fetches.Count && started <= f + ahead; started++)
                    loads[started] = LoadAsync(fetches[started], description, stop.Token);
                var bytes = (await loads[f]!)[chunks[i].Sha256];
                await destination.WriteAsync(bytes, ct);
                written += bytes.Length;
                if (--uses[f] == 0) loads[f] = null;
            }
        }
        finally
        {
            await stop.CancelAsync(); // after a failure: no GET outlives the copy
            foreach (var load in loads.Where(l => l is not null))
                try { await load!; }
                catch (Exception e) when (e is not OutOfMemoryException) { /* the copy's own error is the one reported */ }
        }
        return written;
    }

    /// <summary>The GETs in the order the stream first needs them, and which one brings each chunk.</summary>
    private (List<Fetch> Fetches, int[] FetchOf) Plan(IReadOnlyList<SnapshotChunk> chunks)
    {
        var fetchOf = new int[chunks.Count];
        Array.Fill(fetchOf, -1);
        var fetches = new List<Fetch>();
        for (var i = 0; i < chunks.Count; i++)
        {
            if (fetchOf[i] >= 0) continue;
            var sha = chunks[i].Sha256;
            var pack = _locations.TryGetValue(sha, out var at) ? at.Pack : null;
            var fetch = new Fetch(pack, pack is null ? _content.KeyOf(sha) : RepositoryLayout.Pack(pack), []);
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            long span = 0;
            for (var j = i; j < chunks.Count && span < Window; span += chunks[j++].Size)
            {
                var other = chunks[j].Sha256;
                if (fetchOf[j] >= 0 || !(pack is null ? other == sha : _locations.TryGetValue(other, out at) && at.Pack == pack)) continue;
                fetchOf[j] = fetches.Count;
                if (wanted.Add(other))
                    fetch.Blobs.Add(pack is null ? new PackedBlob(other, 0, chunks[j].Size) : new(other, at.Offset, at.Size));
            }
            fetches.Add(fetch);
        }
        return (fetches, fetchOf);
    }

    private async Task<Dictionary<string, byte[]>> LoadAsync(Fetch fetch, string description, CancellationToken ct)
    {
        var loaded = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (fetch.Pack is null)
        {
            var blob = fetch.Blobs[0];
            loaded[blob.Sha256] = await ObjectAsync(fetch.Key, blob, description, ct);
            return loaded;
        }
        var found = await PackReader.ReadAsync(store, fetch.Pack, fetch.Blobs, (blob, bytes, actual, _) =>
        {
            if (actual != blob.Sha256)
                throw new DamagedChunkException(fetch.Key,
                    $"{description}: its chunk {blob.Sha256} in pack {fetch.Key} is corrupt (hashes to {actual})");
            loaded[blob.Sha256] = bytes.ToArray();
            return ValueTask.CompletedTask;
        }, ct);
        if (!found)
            throw new DamagedChunkException(fetch.Key,
                $"{description}: its pack {fetch.Key} is missing from the store (if a prune ran meanwhile, restore again)");
        return loaded;
    }

    /// <summary>A content stored as an object of its own (a piece of a dump written before dumps were chunked).</summary>
    private async Task<byte[]> ObjectAsync(string key, PackedBlob blob, string description, CancellationToken ct)
    {
        await using var body = await store.GetContentAsync(key, ct)
            ?? throw new DamagedChunkException(key, $"{description}: its chunk {blob.Sha256} is missing from the store (no pack index "
                + $"names it{(indexes.Damaged.Count > 0 ? ", some cannot be read," : "")} and there is no object {key})");
        var bytes = new byte[blob.Size];
        var read = await body.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, ct);
        var extra = read == bytes.Length && await body.ReadAsync(new byte[1], ct) > 0;
        var actual = read == bytes.Length && !extra ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null;
        if (actual != blob.Sha256)
            throw new DamagedChunkException(key, $"{description}: its stored object {key} is corrupt ("
                + (actual is null ? $"not {blob.Size:N0} bytes long" : $"content hashes to {actual}") + ")");
        return bytes;
    }
}
