using System.Collections.Concurrent;
using Pipeline.Engine;
using Pipeline.Tools.S3;

namespace Pipeline.Backups;

public sealed record VerifyResult(int Snapshots, int Objects, long Bytes, IReadOnlyList<string> Problems);

/// <summary>
/// Checks a repository like <c>restic check --read-data</c>: every snapshot's manifest reads, every content it
/// references is stored (in a pack its index names, or as an object), and still hashes to its name.
/// </summary>
public sealed class Verifier(IObjectStore store, int concurrency = 8, string? manifestCache = null, string? indexCache = null)
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
        var (packed, unpacked) = (await new PackCatalog(store, indexCache).LoadAsync(ct)).ByPack(users.Keys);
        Log.Information($"Verifying {users.Count} contents of {snapshots.Count} snapshots…");
        string Users(string sha) => string.Join("; ", users[sha]);
        // One job per pack (every content wanted from it re-hashed in one pass) and one per object of its own.
        var jobs = packed.Select(p => (Func<CancellationToken, Task>)(async token =>
            {
                var found = await PackReader.ReadAsync(store, p.Pack, p.Blobs, (blob, _, actual, _) =>
                {
                    if (actual != blob.Sha256) problems.Add($"content {blob.Sha256} in pack {p.Pack} is corrupt: it hashes to {actual} (used by {Users(blob.Sha256)})");
                    return ValueTask.CompletedTask;
                }, token);
                if (!found) foreach (var blob in p.Blobs) problems.Add($"content {blob.Sha256} is missing: its pack {p.Pack} is gone (used by {Users(blob.Sha256)}; if a prune ran meanwhile, verify again)");
            }))
            .Concat(unpacked.Select(sha => (Func<CancellationToken, Task>)(async token =>
            {
                var actual = await new ContentStore(store).HashStoredAsync(sha, token);
                if (actual is null) problems.Add($"content {sha} is missing: no pack index names it and there is no object {RepositoryLayout.Object(sha)} (used by {Users(sha)})");
                else if (actual != sha) problems.Add($"object {sha} is corrupt: its content hashes to {actual} (used by {Users(sha)})");
            })))
            .ToList();
        var done = 0;
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (job, token) =>
        {
            await job(token);
            if (Interlocked.Increment(ref done) % 500 == 0) Log.Information($"{done}/{jobs.Count} packs and objects verified");
        });
        return new VerifyResult(snapshots.Count, users.Count, sizes.Values.Sum(), problems.Order(StringComparer.Ordinal).ToList());
    }
}
