using System.Collections.Concurrent;
using Pipeline.Engine;
using Pipeline.Tools.S3;

namespace Pipeline.Backups;

public sealed record VerifyResult(int Snapshots, int Objects, long Bytes, IReadOnlyList<string> Problems);

/// <summary>
/// Checks a repository like <c>restic check --read-data</c>: every snapshot's manifest reads, every object it
/// references exists, and every such object's content still hashes to its name.
/// </summary>
public sealed class Verifier(IObjectStore store, int concurrency = 8, string? manifestCache = null)
{
    public async Task<VerifyResult> RunAsync(IReadOnlyList<BackupSet> sets, CancellationToken ct)
    {
        var catalog = new SnapshotCatalog(store, manifestCache);
        var problems = new ConcurrentBag<string>();
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var snapshots = (await catalog.ListAsync(null, ct)).Where(s => sets.Any(set => set.Name == s.Set)).ToList();
        foreach (var s in snapshots)
        {
            SnapshotManifest manifest;
            try { manifest = await catalog.ReadAsync(s.Set, s.Id, ct); }
            catch (PipelineException e) { problems.Add(e.Message); continue; }
            foreach (var source in manifest.Sources)
                foreach (var e in source.Entries.Where(e => e.Sha256 is not null))
                {
                    if (!users.TryGetValue(e.Sha256!, out var list)) users[e.Sha256!] = list = [];
                    if (list.Count < 3) list.Add($"{s.Set} {s.Id} {source.Name}/{e.Path}");
                    sizes[e.Sha256!] = e.Size;
                }
        }
        Log.Information($"Verifying {users.Count} objects of {snapshots.Count} snapshots…");
        var done = 0;
        await Parallel.ForEachAsync(users.Keys, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (sha, token) =>
        {
            var actual = await new ContentStore(store).HashStoredAsync(sha, token);
            if (actual is null) problems.Add($"object {sha} is missing (used by {string.Join("; ", users[sha])})");
            else if (actual != sha) problems.Add($"object {sha} is corrupt: its content hashes to {actual} (used by {string.Join("; ", users[sha])})");
            if (Interlocked.Increment(ref done) % 500 == 0) Log.Information($"{done}/{users.Count} objects verified");
        });
        return new VerifyResult(snapshots.Count, users.Count, sizes.Values.Sum(), problems.Order(StringComparer.Ordinal).ToList());
    }
}
