using Pipeline.Engine;
using Pipeline.Tools.S3;

namespace Pipeline.Backups;

public sealed record PruneResult(
    int SnapshotsRemoved,
    int SnapshotsKept,
    int ObjectsRemoved,
    long BytesRemoved,
    int ObjectsSpared,
    bool ObjectsSkipped
);

/// <summary>
/// Forgets the snapshots retention no longer keeps, then removes contents (objects of their own, and packed ones:
/// see <see cref="PrunePacksAsync"/>) that no remaining snapshot of the repository references (of any set, also
/// sets this environment does not define) and that are older than the grace period — a content younger than that
/// may belong to a backup whose manifest is not written yet. While a backup's marker is fresh, nothing is removed.
/// </summary>
public sealed class Pruner(IObjectStore store, TimeSpan gracePeriod, string? manifestCache = null, string? indexCache = null)
{
    public async Task<PruneResult> RunAsync(IReadOnlyList<BackupSet> sets, bool dryRun, DateTimeOffset now, CancellationToken ct)
    {
        var catalog = new SnapshotCatalog(store, manifestCache);
        var markers = new RepositoryMarkers(store);
        var marker = dryRun ? null : await markers.PlaceAsync(RepositoryLayout.PruneMarker(RepositoryLayout.NewSnapshotId(now)), ct);
        var fresh = marker is null ? null : markers.KeepFresh(marker, RepositoryMarkers.PruneMarkerLifetime / 3);
        try
        {
            // Asked before anything is read: a backup that started before this prune's marker existed does not wait
            // for it, and may rely on contents no snapshot references yet. Backups that start later wait.
            var backups = await RunningBackupsAsync(markers, now, ct);
            var all = await catalog.ListAsync(null, ct);
            var removed = new List<SnapshotRef>();
            foreach (var set in sets)
                foreach (var d in RetentionPlanner.Plan(all.Where(s => s.Set == set.Name), set.Retention))
                {
                    Log.Information($"{set.Name} {d.Snapshot.Id}: {(d.Keep ? $"keep ({string.Join(", ", d.Reasons)})" : "remove")}");
                    if (!d.Keep) removed.Add(d.Snapshot);
                }
            var kept = all.Except(removed).ToList();
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            var referencedObjects = new HashSet<string>(StringComparer.Ordinal); // the names contents are stored under
            foreach (var s in kept)
            {
                var manifest = await catalog.ReadAsync(s.Set, s.Id, ct);
                var naming = await ContentNaming.OfAsync(store, manifest, ct);
                referenced.UnionWith(manifest.Hashes);
                referencedObjects.UnionWith(manifest.Hashes.Select(naming.Name));
            }

            if (!dryRun)
                foreach (var s in removed) await catalog.DeleteAsync(s.Set, s.Id, ct);

            if (backups.Count == 0) backups = await RunningBackupsAsync(markers, now, ct);
            if (backups.Count > 0)
            {
                Log.Warning($"A backup is running in the repository ({backups[0].Key}): no object is removed this time.");
                return new PruneResult(removed.Count, kept.Count, 0, 0, 0, ObjectsSkipped: true);
            }
            int objects = 0, spared = 0;
            long bytes = 0;
            await foreach (var o in new ContentStore(store).ListObjectsAsync(ct))
            {
                if (referencedObjects.Contains(RepositoryLayout.HashOfObject(o.Key)!)) continue;
                if (now - o.LastModified < gracePeriod) { spared++; continue; }
                if (!dryRun) await store.DeleteAsync(o.Key, ct);
                objects++;
                bytes += o.Size;
            }
            var packs = await PrunePacksAsync(referenced, dryRun, now, ct);
            objects += packs.Removed;
            bytes += packs.Bytes;
            spared += packs.Spared;
            Log.Information(
                $"{(dryRun ? "Would remove" : "Removed")} {removed.Count} snapshots and {objects} contents ({bytes:N0} bytes; "
                + $"{packs.Repacked} packs repacked); kept {kept.Count} snapshots; spared {spared} unreferenced contents younger than the "
                    + $"grace period ({gracePeriod})."
            );
            return new PruneResult(removed.Count, kept.Count, objects, bytes, spared, ObjectsSkipped: false);
        }
        finally
        {
            if (fresh is not null) await fresh.DisposeAsync(); // first: no refresh may write the marker back
            if (marker is not null) await markers.RemoveAsync(marker);
        }
    }

    private Task<IReadOnlyList<ObjectInfo>> RunningBackupsAsync(RepositoryMarkers markers, DateTimeOffset now, CancellationToken ct) =>
        markers.FreshAsync(
            "backup",
            gracePeriod > RepositoryMarkers.BackupMarkerLifetime ? gracePeriod : RepositoryMarkers.BackupMarkerLifetime,
            now,
            ct
        );

    /// <summary>
    /// Packs: one whose contents are all unreferenced goes; one that holds some still referenced is repacked (those
    /// contents into a new pack, stored with its index before the old index and pack are removed). Packs younger than
    /// the grace period are spared, and so is a pack left without an index by an interrupted backup until then. A pack
    /// that is damaged, or whose index cannot be read, is left alone with a warning.
    /// </summary>
    private async Task<(int Removed, long Bytes, int Spared, int Repacked)> PrunePacksAsync(
        HashSet<string> referenced,
        bool dryRun,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var catalog = new PackCatalog(store, indexCache);
        var indexes = await catalog.LoadAsync(ct);
        int removed = 0, spared = 0, repacked = 0;
        long bytes = 0;
        var stillStored = new HashSet<string>(StringComparer.Ordinal);
        var gone = new List<string>();
        var repacker = new PackWriter(store, catalog, naming: await ContentNaming.OfWriterAsync(store, ct));
        try
        {
            foreach (var (index, writtenAt) in indexes.Indexes.OrderByDescending(i => i.WrittenAt))
            {
                // A content referenced but already kept in another (newer) pack is a leftover copy here.
                var keep = index.Blobs.Where(b => referenced.Contains(b.Sha256) && !stillStored.Contains(b.Sha256)).ToList();
                var unused = index.Blobs.Except(keep).ToList();
                if (unused.Count == 0 || now - writtenAt < gracePeriod)
                {
                    stillStored.UnionWith(index.Blobs.Select(b => b.Sha256));
                    spared += unused.Count(b => !referenced.Contains(b.Sha256));
                    continue;
                }
                if (keep.Count > 0 && dryRun) repacked++;
                else if (keep.Count > 0)
                {
                    var intact = new List<(PackedBlob Blob, byte[] Bytes)>();
                    var found = await PackReader.ReadAsync(store, index.Pack, keep, (blob, content, actual, _) =>
                    {
                        if (actual == blob.Sha256) intact.Add((blob, content.ToArray()));
                        return ValueTask.CompletedTask;
                    }, ct);
                    if (!found || intact.Count < keep.Count)
                    {
                        Log.Warning(
                            $"Pack {index.Pack} is {(found ? "damaged" : "missing")}: left as it is (run ./build.sh VerifyBackups to see "
                            + $"which snapshots are affected)."
                        );
                        stillStored.UnionWith(intact.Select(c => c.Blob.Sha256)); // an older intact copy of the rest is kept
                        continue;
                    }
                    foreach (var (blob, content) in intact) await repacker.AddAsync(blob.Sha256, content, ct);
                    repacked++;
                }
                removed += unused.Count;
                bytes += unused.Sum(b => b.Size);
                stillStored.UnionWith(keep.Select(b => b.Sha256));
                if (!dryRun) gone.Add(index.Pack);
            }
            await repacker.CompleteAsync(ct);
        }
        finally { await repacker.DrainAsync(); }
        // A repack can produce a pack that already exists (the same contents in the same order): that one stays.
        foreach (var pack in gone.Except(repacker.Written, StringComparer.Ordinal)) await catalog.DeletePackAsync(pack, ct);
        // A pack whose index cannot be read is kept: what it holds is unknown, and a snapshot may need it.
        foreach (var damaged in indexes.Damaged)
            Log.Warning(
                $"Kept {RepositoryLayout.Pack(RepositoryLayout.PackOfIndex(damaged.Key)!)}: its index {damaged.Key} is unreadable. If "
                + $"./build.sh VerifyBackups reports no problem, delete both by hand."
            );

        var indexed = indexes
            .Indexes.Select(i => i.Index.Pack)
            .Concat(indexes.Damaged.Select(d => RepositoryLayout.PackOfIndex(d.Key)!))
            .ToHashSet(StringComparer.Ordinal);
        await foreach (var o in store.ListAsync(RepositoryLayout.Packs, ct))
        {
            if (RepositoryLayout.HashOfPack(o.Key) is not { } pack || indexed.Contains(pack) || repacker.Written.Contains(pack)) continue;
            if (now - o.LastModified < gracePeriod) { spared++; continue; }
            if (!dryRun) await store.DeleteAsync(o.Key, ct);
            removed++;
            bytes += o.Size;
        }
        return (removed, bytes, spared, repacked);
    }
}
