using Pipeline.Engine;
using Pipeline.Tools.S3;

namespace Pipeline.Backups;

/// <summary>The indexes of a repository's packs, with when each was written, and those that could not be read.</summary>
public sealed record PackIndexes(IReadOnlyList<(PackIndex Index, DateTimeOffset WrittenAt)> Indexes, IReadOnlyList<ObjectInfo> Damaged)
{
    /// <summary>Every packed content and where it is (a content in two packs, after a repack, maps to one of them).</summary>
    public Dictionary<string, BlobLocation> Locations()
    {
        var map = new Dictionary<string, BlobLocation>(StringComparer.Ordinal);
        foreach (var (index, _) in Indexes)
            foreach (var b in index.Blobs) map[b.Sha256] = new BlobLocation(index.Pack, b.Offset, b.Size);
        return map;
    }

    /// <summary>The given contents grouped by the pack that holds them (each as its blob there), and those no index names.</summary>
    public (IReadOnlyList<(string Pack, IReadOnlyList<PackedBlob> Blobs)> Packed, IReadOnlyList<string> Unpacked) ByPack(
        IEnumerable<string> sha256s
    )
    {
        var locations = Locations();
        var wanted = sha256s.Distinct(StringComparer.Ordinal).ToList();
        var packed = wanted
            .Where(locations.ContainsKey)
            .GroupBy(sha => locations[sha].Pack, StringComparer.Ordinal)
            .Select(g =>
                (
                    g.Key,
                    (IReadOnlyList<PackedBlob>)g.Select(sha => new PackedBlob(sha, locations[sha].Offset, locations[sha].Size)).ToList()
                )
            )
            .ToList();
        return (packed, wanted.Where(sha => !locations.ContainsKey(sha)).ToList());
    }
}

/// <summary>
/// Reads and writes pack indexes. An index never changes once written (it is named by its pack's hash), so each is
/// fetched once and kept under the local state folder; a listing of <c>index/</c> says which ones exist now. An index
/// that does not parse (a write cut short on a store whose PUT is not atomic) counts as absent: its pack is then a
/// leftover that PruneBackups removes, and its contents are sent again by the next backup that needs them.
/// </summary>
public sealed class PackCatalog(IObjectStore store, string? cacheDirectory = null)
{
    public async Task<PackIndexes> LoadAsync(CancellationToken ct)
    {
        var listed = new List<ObjectInfo>();
        await foreach (var o in store.ListAsync(RepositoryLayout.Indexes, ct))
            if (RepositoryLayout.PackOfIndex(o.Key) is not null) listed.Add(o);
        var loaded = new PackIndex?[listed.Count];
        var damaged = new System.Collections.Concurrent.ConcurrentBag<ObjectInfo>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, listed.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) =>
            {
                try
                {
                    if (CachePath(listed[i].Key) is { } cached && File.Exists($"{cached}.foreign")) return;
                    loaded[i] = await ReadAsync(listed[i].Key, token);
                }
                catch (SealedForOthersException)
                {
                    // A write-only host cannot read the others' indexes: it knows only its own (kept locally), and asks
                    // for each other one once.
                    if (CachePath(listed[i].Key) is { } cached)
                    {
                        Directory.CreateDirectory(cacheDirectory!);
                        await File.WriteAllBytesAsync($"{cached}.foreign", [], token);
                    }
                }
                catch (UnreadablePackIndexException e)
                {
                    Log.Warning($"{e.Message} Its pack counts as not stored.");
                    damaged.Add(listed[i]);
                }
            }
        );
        return new PackIndexes(
            listed
                .Select((o, i) => (Index: loaded[i], o.LastModified))
                .Where(l => l.Index is not null)
                .Select(l => (l.Index!, l.LastModified))
                .ToList(),
            [.. damaged.OrderBy(d => d.Key, StringComparer.Ordinal)]
        );
    }

    /// <summary>The index, or null when it was removed since the listing (a prune removed its pack).</summary>
    private async Task<PackIndex?> ReadAsync(string key, CancellationToken ct)
    {
        var cached = CachePath(key);
        if (cached is not null && File.Exists(cached))
        {
            try { return PackIndex.FromJson(await File.ReadAllBytesAsync(cached, ct), key); }
            catch (UnreadablePackIndexException) { File.Delete(cached); } // a damaged local copy: read the stored one
        }
        using var buffer = new MemoryStream();
        try
        {
            await using var body = await store.GetAsync(key, ct);
            if (body is null) return null;
            await body.CopyToAsync(buffer, ct);
        }
        catch (PipelineException e) when (e is DamagedObjectException or TamperedObjectException)
        {
            throw new UnreadablePackIndexException($"Pack index {key} is damaged in the store ({e.Message}).");
        }
        var json = buffer.ToArray();
        var index = PackIndex.FromJson(json, key);
        await RememberAsync(key, json, ct);
        return index;
    }

    /// <summary>Stores an index (after its pack), and keeps it locally so this machine never fetches it.</summary>
    public async Task WriteAsync(PackIndex index, CancellationToken ct)
    {
        var key = RepositoryLayout.Index(index.Pack);
        var json = index.ToJson();
        await store.PutAsync(key, json, ct);
        await RememberAsync(key, json, ct);
    }

    /// <summary>Removes a pack: its index first (so nothing is found there any more), then the pack.</summary>
    public async Task DeletePackAsync(string pack, CancellationToken ct)
    {
        await store.DeleteAsync(RepositoryLayout.Index(pack), ct);
        await store.DeleteAsync(RepositoryLayout.Pack(pack), ct);
        if (CachePath(RepositoryLayout.Index(pack)) is { } cached) File.Delete(cached);
    }

    private string? CachePath(string key) => cacheDirectory is null ? null : Path.Combine(cacheDirectory, Path.GetFileName(key));

    private async Task RememberAsync(string key, byte[] json, CancellationToken ct)
    {
        if (CachePath(key) is not { } cached) return;
        Directory.CreateDirectory(cacheDirectory!);
        var temp = $"{cached}.{Environment.ProcessId}.tmp";
        await File.WriteAllBytesAsync(temp, json, ct);
        File.Move(temp, cached, overwrite: true);
    }
}
