using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Collections.Concurrent;

namespace Pipeline.Backups;

/// <param name="Damaged">The stored objects (pack or object keys) found corrupt or missing, each once.</param>
public sealed record VerifyResult(int Snapshots, int Objects, long Bytes, IReadOnlyList<string> Problems, IReadOnlyList<string> Damaged);

/// <summary>
/// Checks a repository like <c>restic check --read-data</c>: every snapshot's manifest reads, every content it
/// references is stored (in a pack its index names, or as an object), and still hashes to its name. It goes on past
/// a corrupt pack or object and names each one with the snapshots and files that use it.
/// </summary>
public sealed class Verifier(IObjectStore store, int concurrency = 8, string? manifestCache = null, string? indexCache = null)
{
    public async Task<VerifyResult> RunAsync(IReadOnlyList<BackupSet> sets, CancellationToken ct)
    {
        var catalog = new SnapshotCatalog(store, manifestCache);
        var problems = new ConcurrentBag<string>();
        var damaged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var users = new ContentUsers();
        var snapshots = (await catalog.ListAsync(null, ct)).Where(s => sets.Any(set => set.Name == s.Set)).ToList();
        var objectStores = new Dictionary<string, List<ContentStore>>(StringComparer.Ordinal); // each name a content is stored under
        foreach (var s in snapshots)
        {
            try
            {
                var manifest = await catalog.ReadAsync(s.Set, s.Id, ct);
                users.Add(manifest);
                var content = new ContentStore(store, await ContentNaming.OfAsync(store, manifest, ct));
                foreach (var sha in manifest.Hashes)
                {
                    if (!objectStores.TryGetValue(sha, out var stores)) objectStores[sha] = stores = [];
                    if (stores.All(c => c.KeyOf(sha) != content.KeyOf(sha))) stores.Add(content);
                }
            }
            catch (PipelineException e) { problems.Add(e.Message); damaged[RepositoryLayout.Snapshot(s.Set, s.Id)] = true; }
        }
        var indexes = await new PackCatalog(store, indexCache).LoadAsync(ct);
        // An unreadable index is named only where a content is then missing (an interrupted upload's leftover is not a problem).
        var unreadable = indexes.Damaged.Count == 0 ? ""
            : $"; the pack index{(indexes.Damaged.Count == 1 ? "" : "es")} {string.Join(", ", indexes.Damaged.Select(d => d.Key))} "
                + "cannot be read (damaged or tampered with), and may name it";
        var (packed, unpacked) = indexes.ByPack(users.Contents);
        Log.Information($"Verifying {users.Count} contents of {snapshots.Count} snapshots…");
        void Problem(string key, string problem) { damaged[key] = true; problems.Add(problem); }
        // One job per pack (every content wanted from it re-hashed in one pass) and one per object of its own.
        var jobs = packed.Select(p => (Func<CancellationToken, Task>)(async token =>
            {
                var key = RepositoryLayout.Pack(p.Pack);
                try
                {
                    var found = await PackReader.ReadAsync(store, p.Pack, p.Blobs, (blob, _, actual, _) =>
                    {
                        if (actual != blob.Sha256)
                            Problem(
                                key,
                                $"content {blob.Sha256} in pack {key} is corrupt: it hashes to {actual} ({users.Of(blob.Sha256)})"
                            );
                        return ValueTask.CompletedTask;
                    }, token);
                    if (!found)
                        foreach (var blob in p.Blobs)
                            Problem(
                                key,
                                $"content {blob.Sha256} is missing: its pack {key} is gone ({users.Of(blob.Sha256)}; if a prune ran "
                                + $"meanwhile, verify again)"
                            );
                }
                catch (PipelineException e) when (e is DamagedObjectException or TamperedObjectException)
                {
                    Problem(
                        key,
                        $"{e.Message} It holds {string.Join("; ", p.Blobs.Select(b => $"content {b.Sha256} ({users.Of(b.Sha256)})"))}"
                    );
                }
            }))
            .Concat(unpacked.SelectMany(sha => objectStores[sha].Select(content => (Func<CancellationToken, Task>)(async token =>
            {
                var key = content.KeyOf(sha);
                string? actual;
                try { actual = await content.HashStoredAsync(sha, token); }
                catch (PipelineException e) when (e is DamagedObjectException or TamperedObjectException)
                {
                    Problem(key, $"{e.Message} ({users.Of(sha)})");
                    return;
                }
                if (actual is null)
                {
                    foreach (var d in indexes.Damaged) damaged[d.Key] = true;
                    Problem(
                        key,
                        $"content {sha} is missing: no pack index names it and there is no object {key} ({users.Of(sha)}{unreadable})"
                    );
                }
                else if (actual != sha)
                    Problem(key, $"object {key} is corrupt: its content hashes to {actual} ({users.Of(sha)})");
            }))))
            .ToList();
        var done = 0;
        await Parallel.ForEachAsync(
            jobs,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (job, token) =>
            {
                await job(token);
                if (Interlocked.Increment(ref done) % 500 == 0)
                    Log.Information($"{done}/{jobs.Count} packs and objects verified");
            }
        );
        return new VerifyResult(
            snapshots.Count,
            users.Count,
            users.Bytes,
            problems.Order(StringComparer.Ordinal).ToList(),
            damaged.Keys.Order(StringComparer.Ordinal).ToList()
        );
    }
}
