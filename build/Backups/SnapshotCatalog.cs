using Pipeline.Engine;
using Pipeline.Tools.S3;

namespace Pipeline.Backups;

public sealed record SnapshotRef(string Set, string Id, DateTimeOffset Time, long StoredBytes);

/// <summary>Lists and reads snapshot manifests of a repository; manifests never change, so reads are cached locally.</summary>
public sealed class SnapshotCatalog(IObjectStore store, string? cacheDirectory = null)
{
    public async Task<IReadOnlyList<SnapshotRef>> ListAsync(string? set, CancellationToken ct)
    {
        var list = new List<SnapshotRef>();
        await foreach (var o in store.ListAsync(set is null ? RepositoryLayout.Snapshots : RepositoryLayout.SnapshotsOf(set), ct))
            if (RepositoryLayout.SnapshotOfKey(o.Key) is { } s)
                list.Add(new SnapshotRef(s.Set, s.Id, RepositoryLayout.TimeOfSnapshotId(s.Id) ?? o.LastModified, o.Size));
        return list.OrderBy(s => s.Set, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<SnapshotRef?> LatestAsync(string set, CancellationToken ct) =>
        (await ListAsync(set, ct)).LastOrDefault();

    public async Task<SnapshotManifest> ReadAsync(string set, string id, CancellationToken ct)
    {
        var key = RepositoryLayout.Snapshot(set, id);
        var cached = cacheDirectory is null ? null : Path.Combine(cacheDirectory, set, $"{id}.json");
        if (cached is not null && File.Exists(cached))
            return SnapshotManifest.FromJson(await File.ReadAllBytesAsync(cached, ct), key);
        await using var body = await store.GetAsync(key, ct)
            ?? throw new PipelineException($"Snapshot {id} of set {set} does not exist (see ./build.sh BackupList).");
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        var manifest = SnapshotManifest.FromJson(buffer.ToArray(), key);
        if (cached is not null) Remember(cached, buffer.ToArray());
        return manifest;
    }

    public void Remember(SnapshotManifest manifest)
    {
        if (cacheDirectory is not null) Remember(Path.Combine(cacheDirectory, manifest.Set, $"{manifest.Id}.json"), manifest.ToJson());
    }

    private static void Remember(string file, byte[] json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, json);
        File.Move(temp, file, overwrite: true);
    }

    public Task WriteAsync(SnapshotManifest manifest, CancellationToken ct) =>
        store.PutAsync(RepositoryLayout.Snapshot(manifest.Set, manifest.Id), manifest.ToJson(), ct);

    public Task DeleteAsync(string set, string id, CancellationToken ct) => store.DeleteAsync(RepositoryLayout.Snapshot(set, id), ct);
}
