using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using Pipeline.Tools.S3;
using System.Globalization;
using System.Text;

namespace Pipeline.Backups;

/// <summary>What the backup targets do, over the environment's sets: one S3 store per repository (bucket and prefix).</summary>
public sealed class BackupOperations(BackupsDefinition definition, Func<BackupSet, IObjectStore> storeFor, BackupState state)
{
    public BackupOperations(BackupsDefinition definition, S3Endpoint endpoint, BackupState state)
        : this(definition, set => new S3ObjectStore(endpoint, set.Bucket, set.Prefix), state) { }


    public async Task<IReadOnlyList<BackupResult>> BackupAsync(BackupRequest request, CancellationToken ct)
    {
        var (sets, dryRun, metricsFile) = (request.Sets, request.DryRun, request.MetricsFile);
        await DeployLockWaiting.WaitAsync(request.DeployLock, request.LockWait, ct);
        var results = new List<BackupResult>();
        await using var remote = new RemoteSources(definition.Ssh);
        foreach (var set in sets)
        {
            var roots = await SourceStaging.StageAsync(set, state.Staging, remote, ct);
            if (roots.Count == 0) { Log.Information($"{set.Name}: none of its sources exists yet: nothing to back up."); continue; }
            var result = await new BackupRunner(storeFor(set), set, new BackupOptions(state, definition.Concurrency, dryRun)).RunAsync(
                roots,
                ct
            );
            results.Add(result);
            if (!dryRun && metricsFile is not null) BackupMetrics.Write(metricsFile, [result], DateTimeOffset.UtcNow);
        }
        return results;
    }

    public async Task<IReadOnlyList<RestoreResult>> RestoreAsync(
        IReadOnlyList<BackupSet> sets,
        string? snapshotId,
        string? restoreInto,
        bool dryRun,
        CancellationToken ct
    )
    {
        var chosen = new List<(BackupSet Set, SnapshotManifest Manifest)>();
        foreach (var set in sets)
        {
            var catalog = new SnapshotCatalog(storeFor(set), state.Manifests(set));
            var snapshots = await catalog.ListAsync(set.Name, ct);
            var pick = snapshotId is null ? snapshots.LastOrDefault() : snapshots.FirstOrDefault(s => s.Id == snapshotId);
            if (pick is null)
            {
                if (snapshotId is null) Log.Warning($"{set.Name}: no snapshot yet in {set.Repository}: nothing to restore.");
                continue;
            }
            chosen.Add((set, await catalog.ReadAsync(set.Name, pick.Id, ct)));
        }
        if (chosen.Count == 0)
            throw new PipelineException(
                snapshotId is null
                    ? "No set has a snapshot yet (run ./build.sh Backup first)."
                    : $"No set has a snapshot {snapshotId} (see ./build.sh BackupList)."
            );

        var results = new List<RestoreResult>();
        await using var remote = new RemoteSources(definition.Ssh);
        foreach (var (set, manifest) in chosen)
        {
            string TargetOf(SnapshotSource s) => restoreInto is not null ? Path.Combine(restoreInto, set.Name, SafeName(s.Name))
                : s.Kind == SourceKind.Local ? s.Path : state.RestoreStaging(set, SafeName(s.Name));
            if (dryRun)
            {
                foreach (var s in manifest.Sources)
                    Log.Information(
                        $"{set.Name}: would restore {s.Name} from snapshot {manifest.Id} into {TargetOf(s)}: "
                        + $"{RestorePreview.Describe(s, TargetOf(s))}"
                    );
                continue;
            }
            Log.Information($"{set.Name}: restoring snapshot {manifest.Id} ({manifest.Files} files, {manifest.Bytes:N0} bytes)…");
            var result = await new RestoreRunner(storeFor(set), definition.Concurrency, state.Indexes(set)).RunAsync(
                manifest,
                TargetOf,
                ct
            );
            if (restoreInto is null)
                foreach (var s in manifest.Sources.Where(s => s.Kind != SourceKind.Local))
                {
                    var source = set.Sources.FirstOrDefault(d => d.Name == s.Name) ?? new BackupSource(s.Name, s.Kind, s.Path);
                    await SourceStaging.PutBackAsync(source, TargetOf(s), s.IsFile, remote, ct);
                }
            Log.Information(
                $"{set.Name}: restored snapshot {manifest.Id} into {string.Join(", ", result.Targets)}, every object verified."
            );
            results.Add(result);
        }
        return results;
    }

    public async Task<string> ListAsync(IReadOnlyList<BackupSet> sets, CancellationToken ct)
    {
        var sb = new StringBuilder();
        foreach (var set in sets)
        {
            var catalog = new SnapshotCatalog(storeFor(set), state.Manifests(set));
            var snapshots = await catalog.ListAsync(set.Name, ct);
            sb.AppendLine(CultureInfo.InvariantCulture, $"{set.Name} ({set.Repository}): {snapshots.Count} snapshots");
            foreach (var s in snapshots)
            {
                var m = await catalog.ReadAsync(set.Name, s.Id, ct);
                var local = TimeZoneInfo.ConvertTime(s.Time, set.Retention.TimeZone);
                sb.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"  {s.Id}  {local:yyyy-MM-dd HH:mm:ss zzz}  {m.Files,7} files  {m.Bytes,15:N0} bytes  from {m.Host}"
                );
            }
        }
        return sb.ToString().TrimEnd();
    }

    public async Task<IReadOnlyList<PruneResult>> PruneAsync(IReadOnlyList<BackupSet> sets, bool dryRun, CancellationToken ct)
    {
        var results = new List<PruneResult>();
        foreach (var repository in sets.GroupBy(s => s.Repository))
        {
            var first = repository.First();
            Log.Information($"Pruning {repository.Key}{(dryRun ? " (dry run)" : "")}…");
            results.Add(
                await new Pruner(storeFor(first), definition.GracePeriod, state.Manifests(first), state.Indexes(first)).RunAsync(
                    repository.ToList(),
                    dryRun,
                    DateTimeOffset.UtcNow,
                    ct
                )
            );
        }
        return results;
    }

    public async Task<IReadOnlyList<VerifyResult>> VerifyAsync(IReadOnlyList<BackupSet> sets, CancellationToken ct)
    {
        var results = new List<VerifyResult>();
        foreach (var repository in sets.GroupBy(s => s.Repository))
        {
            var result = await new Verifier(
                storeFor(repository.First()),
                definition.Concurrency,
                state.Manifests(repository.First()),
                state.Indexes(repository.First())
            ).RunAsync(repository.ToList(), ct);
            Log.Information(
                $"{repository.Key}: {result.Snapshots} snapshots, {result.Objects} contents ({result.Bytes:N0} bytes) re-hashed, "
                + $"{result.Problems.Count} problems."
            );
            foreach (var p in result.Problems) Log.Error(p);
            results.Add(result);
        }
        var problems = results.Sum(r => r.Problems.Count);
        if (problems > 0)
        {
            var damaged = results.SelectMany(r => r.Damaged).ToList();
            throw new PipelineException(
                $"VerifyBackups found {problems} problem{(problems == 1 ? "" : "s")} in {damaged.Count} stored "
                + $"object{(damaged.Count == 1 ? "" : "s")}: {string.Join(", ", damaged)} (each listed above with the snapshots and files "
                    + $"that use it; Restore refuses those snapshots)."
            );
        }
        return results;
    }

    /// <summary>A source name as one folder name (for --restore-into).</summary>
    public static string SafeName(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('_', '.');
        return safe.Length == 0 ? "source" : safe;
    }
}
