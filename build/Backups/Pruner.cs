using Pipeline.Engine;
using Pipeline.Tools.S3;

namespace Pipeline.Backups;

public sealed record PruneResult(int SnapshotsRemoved, int SnapshotsKept, int ObjectsRemoved, long BytesRemoved, int ObjectsSpared, bool ObjectsSkipped);

/// <summary>
/// Forgets the snapshots retention no longer keeps, then removes objects that no remaining snapshot of the
/// repository references (of any set, also sets this environment does not define) and that are older than the
/// grace period — an object younger than that may belong to a backup whose manifest is not written yet. While a
/// backup's marker is fresh, no object is removed at all.
/// </summary>
public sealed class Pruner(IObjectStore store, TimeSpan gracePeriod, string? manifestCache = null)
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
            Log.Information($"{(dryRun ? "Would remove" : "Removed")} {removed.Count} snapshots and {objects} objects ({bytes:N0} bytes); kept {kept.Count} snapshots; spared {spared} unreferenced objects younger than the grace period ({gracePeriod}).");
            return new PruneResult(removed.Count, kept.Count, objects, bytes, spared, ObjectsSkipped: false);
        }
        finally
        {
            if (marker is not null) await markers.RemoveAsync(marker);
        }
    }
}
