using Pipeline.Engine;
using Pipeline.Tools.S3;

namespace Pipeline.Backups;

public sealed record PruneResult(int SnapshotsRemoved, int SnapshotsKept, int ObjectsRemoved, long BytesRemoved, int ObjectsSpared, bool ObjectsSkipped);

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
        try
        {
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
            foreach (var s in kept) referenced.UnionWith((await catalog.ReadAsync(s.Set, s.Id, ct)).Hashes);

            if (!dryRun)
                foreach (var s in removed) await catalog.DeleteAsync(s.Set, s.Id, ct);

            var backups = await markers.FreshAsync("backup", gracePeriod > RepositoryMarkers.BackupMarkerLifetime ? gracePeriod : RepositoryMarkers.BackupMarkerLifetime, now, ct);
            if (backups.Count > 0)
            {
                Log.Warning($"A backup is running in the repository ({backups[0].Key}): no object is removed this time.");
                return new PruneResult(removed.Count, kept.Count, 0, 0, 0, ObjectsSkipped: true);
            }
            int objects = 0, spared = 0;
            long bytes = 0;
            await foreach (var o in new ContentStore(store).ListObjectsAsync(ct))
            {
                if (referenced.Contains(RepositoryLayout.HashOfObject(o.Key)!)) continue;
                if (now - o.LastModified < gracePeriod) { spared++; continue; }
                if (!dryRun) await store.DeleteAsync(o.Key, ct);
                objects++;
                bytes += o.Size;
            }
            var packs = await PrunePacksAsync(referenced, dryRun, now, ct);
            objects += packs.Removed;
            bytes += packs.Bytes;
            spared += packs.Spared;
            Log.Information($"{(dryRun ? "Would remove" : "Removed")} {removed.Count} snapshots and {objects} contents ({bytes:N0} bytes; {packs.Repacked} packs repacked); kept {kept.Count} snapshots; spared {spared} unreferenced contents younger than the grace period ({gracePeriod}).");
            return new PruneResult(removed.Count, kept.Count, objects, bytes, spared, ObjectsSkipped: false);
        }
        finally
        {
            if (marker is not null) await markers.RemoveAsync(marker);
        }
    }

    /// <summary>
    /// Packs: one whose contents are all unreferenced goes; one that holds some still referenced is repacked (those
    /// contents into a new pack, stored with its index before the old index and pack are removed). Packs younger than
    /// the grace period are spared, and so is a pack left without an index by an interrupted backup until then.
    /// </summary>
    private async Task<(int Removed, long Bytes, int Spared, int Repacked)> PrunePacksAsync(HashSet<string> referenced, bool dryRun, DateTimeOffset now, CancellationToken ct)
    {
        var catalog = new PackCatalog(store, indexCache);
        var indexes = await catalog.LoadAsync(ct);
        int removed = 0, spared = 0, repacked = 0;
        long bytes = 0;
        var stillStored = new HashSet<string>(StringComparer.Ordinal);
        var gone = new List<string>();
        var repacker = new PackWriter(store, catalog);
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
            removed += unused.Count;
            bytes += unused.Sum(b => b.Size);
            if (dryRun) continue;
            if (keep.Count > 0)
            {
                var found = await PackReader.ReadAsync(store, index.Pack, keep, async (blob, content, token) =>
                {
                    if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content.Span)) != blob.Sha256)
                        throw new PipelineException($"Pack {index.Pack} is damaged (content {blob.Sha256} hashes differently); nothing was removed from it. Run ./build.sh VerifyBackups to see which snapshots are affected.");
                    await repacker.AddAsync(blob.Sha256, content.ToArray(), token);
                }, ct);
                if (!found) continue; // nothing left to move; VerifyBackups reports the snapshots that need it
                repacked++;
                stillStored.UnionWith(keep.Select(b => b.Sha256));
            }
            gone.Add(index.Pack);
        }
        await repacker.CompleteAsync(ct);
        foreach (var pack in gone) await catalog.DeletePackAsync(pack, ct);

        var indexed = indexes.Indexes.Select(i => i.Index.Pack).ToHashSet(StringComparer.Ordinal);
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
