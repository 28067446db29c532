using Pipeline.Tools.S3;

namespace Pipeline.Backups;

/// <summary>The indexes of a repository's packs, with when each was written.</summary>
public sealed record PackIndexes(IReadOnlyList<(PackIndex Index, DateTimeOffset WrittenAt)> Indexes)
{
    public static readonly PackIndexes None = new([]);

    /// <summary>Every packed content and where it is (a content in two packs, after a repack, maps to one of them).</summary>
    public Dictionary<string, BlobLocation> Locations()
    {
        var map = new Dictionary<string, BlobLocation>(StringComparer.Ordinal);
        foreach (var (index, _) in Indexes)
            foreach (var b in index.Blobs) map[b.Sha256] = new BlobLocation(index.Pack, b.Offset, b.Size);
        return map;
    }
}

/// <summary>
/// Reads and writes pack indexes. An index never changes once written (it is named by its pack's hash), so each is
/// fetched once and kept under the local state folder; a listing of <c>index/</c> says which ones exist now.
/// </summary>
public sealed class PackCatalog(IObjectStore store, string? cacheDirectory = null)
{
    public async Task<PackIndexes> LoadAsync(CancellationToken ct)
    {
        var listed = new List<ObjectInfo>();
        await foreach (var o in store.ListAsync(RepositoryLayout.Indexes, ct))
            if (RepositoryLayout.PackOfIndex(o.Key) is not null) listed.Add(o);
        var loaded = new (PackIndex?, DateTimeOffset)[listed.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, listed.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
            loaded[i] = (await ReadAsync(listed[i].Key, token), listed[i].LastModified));
        return new PackIndexes(loaded.Where(l => l.Item1 is not null).Select(l => (l.Item1!, l.Item2)).ToList());
    }

    /// <summary>The index, or null when it was removed since the listing (a prune removed its pack).</summary>
    private async Task<PackIndex?> ReadAsync(string key, CancellationToken ct)
    {
        var cached = cacheDirectory is null ? null : Path.Combine(cacheDirectory, Path.GetFileName(key));
        if (cached is not null && File.Exists(cached)) return PackIndex.FromJson(await File.ReadAllBytesAsync(cached, ct), key);
        await using var body = await store.GetAsync(key, ct);
        if (body is null) return null;
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        var index = PackIndex.FromJson(buffer.ToArray(), key);
        if (cached is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            var temp = $"{cached}.{Environment.ProcessId}.tmp";
            await File.WriteAllBytesAsync(temp, buffer.ToArray(), ct);
            File.Move(temp, cached, overwrite: true);
        }
        return index;
    }

    public Task WriteAsync(PackIndex index, CancellationToken ct) =>
        store.PutAsync(RepositoryLayout.Index(index.Pack), new MemoryStream(index.ToJson()), ct);

    /// <summary>Removes a pack: its index first (so nothing is found there any more), then the pack.</summary>
    public async Task DeletePackAsync(string pack, CancellationToken ct)
    {
        await store.DeleteAsync(RepositoryLayout.Index(pack), ct);
        await store.DeleteAsync(RepositoryLayout.Pack(pack), ct);
        if (cacheDirectory is not null) File.Delete(Path.Combine(cacheDirectory, Path.GetFileName(RepositoryLayout.Index(pack))));
    }
}
