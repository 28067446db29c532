using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using Pipeline.Tools.S3;
using System.Globalization;
using System.Text;

namespace Pipeline.Backups;

/// <summary>What the backup targets do, over the environment's sets: one S3 store per repository (bucket and prefix).</summary>
/// <param name="access">What opens encrypted repositories (and whether new ones are encrypted); null: every repository is
/// used as it is stored (no marker is read or written).</param>
public sealed class BackupOperations(
    BackupsDefinition definition,
    Func<BackupSet, IObjectStore> storeFor,
    BackupState state,
    RepositoryAccess? access = null
)
{
    public BackupOperations(BackupsDefinition definition, S3Endpoint endpoint, BackupState state, RepositoryAccess? access = null)
        : this(definition, set => new S3ObjectStore(endpoint, set.Bucket, set.Prefix), state, access) { }

    private readonly Dictionary<string, IObjectStore> _opened = new(StringComparer.Ordinal);

    /// <summary>See <see cref="BackupOptions.ChunkFilesAbove"/>.</summary>
    public long ChunkFilesAbove { get; init; } = PackWriter.MaxPackedSize;

    /// <summary>The password of the database servers whose URL has none (--postgres-password / PGPASSWORD).</summary>
    public string? PostgresPassword { get; init; }

    /// <summary>The set's repository as this run reads and writes it (sealed when it is encrypted), opened once per run.</summary>
    private async Task<IObjectStore> OpenAsync(BackupSet set, bool create, CancellationToken ct)
    {
        if (access is null) return storeFor(set);
        if (_opened.TryGetValue(set.Repository, out var open)) return open;
        return _opened[set.Repository] = await access.OpenAsync(storeFor(set), set.Repository, state, create, ct);
    }

    /// <summary>The key slots of each repository of <paramref name="sets"/>.</summary>
    public async Task<string> ListKeysAsync(IReadOnlyList<BackupSet> sets, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var repository in sets.GroupBy(s => s.Repository))
        {
            var raw = storeFor(repository.First());
            lines.Add(await RepositoryKeys.ConfigAsync(raw, repository.Key, state, ct) is { Encrypted: true }
                ? RepositoryKeys.Describe(repository.Key, await RepositoryKeys.SlotsAsync(raw, ct))
                : $"{repository.Key}: not encrypted (no key slots)");
        }
        return string.Join("\n", lines);
    }

    /// <summary>Adds a key slot (opened with the run's passphrase or key file) to each encrypted repository of the sets.</summary>
    public async Task AddKeyAsync(IReadOnlyList<BackupSet> sets, Credential added, CancellationToken ct)
    {
        foreach (var (repository, raw, config) in await EncryptedAsync(sets, ct))
        {
            var slot = await RepositoryKeys.AddAsync(raw, config, repository, access!.Credentials(), added, ct);
            Log.Information($"{repository}: added key slot {slot.Id} ({slot.Kind}); the data was not touched.");
        }
    }

    public async Task RemoveKeyAsync(IReadOnlyList<BackupSet> sets, string id, CancellationToken ct)
    {
        foreach (var (repository, raw, config) in await EncryptedAsync(sets, ct))
        {
            await RepositoryKeys.RemoveAsync(raw, config, repository, access!.Credentials(), id, ct);
            Log.Information($"{repository}: removed key slot {id}.");
        }
    }

    /// <summary>Writes the operators' public key (PEM) of the sets' repository, for write-only hosts.</summary>
    public async Task<string> ExportPublicKeyAsync(IReadOnlyList<BackupSet> sets, string file, CancellationToken ct)
    {
        var encrypted = await EncryptedAsync(sets, ct);
        if (encrypted.Select(e => e.Repository).Distinct().Count() != 1)
            throw new PipelineException("Choose the sets of one repository (--backup-set): each repository has its own operators' key.");
        var pem = await RepositoryKeys.PublicKeyPemAsync((SealedObjectStore)await OpenAsync(sets[0], create: false, ct), ct);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await File.WriteAllTextAsync(file, pem, ct);
        return pem;
    }

    private async Task<List<(string Repository, IObjectStore Raw, RepositoryConfig Config)>> EncryptedAsync(
        IReadOnlyList<BackupSet> sets,
        CancellationToken ct
    )
    {
        var list = new List<(string, IObjectStore, RepositoryConfig)>();
        foreach (var repository in sets.GroupBy(s => s.Repository))
        {
            var raw = storeFor(repository.First());
            if (await RepositoryKeys.ConfigAsync(raw, repository.Key, state, ct) is { Encrypted: true } config)
                list.Add((repository.Key, raw, config));
            else Log.Warning($"{repository.Key} is not encrypted: it has no key slots.");
        }
        if (list.Count == 0) throw new PipelineException("None of the sets' repositories is encrypted (run ./build.sh Backup first).");
        return list;
    }


    public async Task<IReadOnlyList<BackupResult>> BackupAsync(BackupRequest request, CancellationToken ct)
    {
        var (sets, dryRun, metricsFile) = (request.Sets, request.DryRun, request.MetricsFile);
        await DeployLockWaiting.WaitAsync(request.DeployLock, request.LockWait, ct);
        var results = new List<BackupResult>();
        await using var remote = new RemoteSources(definition.Ssh);
        foreach (var set in sets)
        {
            if (set.IsDatabases)
            {
                var database = new DatabaseBackup(await OpenAsync(set, create: true, ct), set, state, PostgresPassword);
                var dumped = await database.RunAsync(dryRun, ct);
                results.Add(dumped);
                if (!dryRun && metricsFile is not null) BackupMetrics.Write(metricsFile, [dumped], DateTimeOffset.UtcNow);
                continue;
            }
            var roots = await SourceStaging.StageAsync(set, state.Staging, remote, ct);
            if (roots.Count == 0) { Log.Information($"{set.Name}: none of its sources exists yet: nothing to back up."); continue; }
            var store = await OpenAsync(set, create: true, ct);
            var options = new BackupOptions(state, definition.Concurrency, dryRun) { ChunkFilesAbove = ChunkFilesAbove };
            var result = await new BackupRunner(store, set, options).RunAsync(roots, ct);
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
        CancellationToken ct,
        string? intoDatabase = null
    )
    {
        sets = DatabaseTargets.Choose(sets, restoreInto, intoDatabase);
        var chosen = new List<(BackupSet Set, SnapshotManifest Manifest)>();
        foreach (var set in sets)
        {
            var catalog = new SnapshotCatalog(await OpenAsync(set, create: false, ct), state.Manifests(set));
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
            if (set.IsDatabases)
            {
                await new DatabaseTargets(await OpenAsync(set, create: false, ct), PostgresPassword, state.Indexes(set))
                    .RestoreAsync(set, manifest, restoreInto, intoDatabase, dryRun, ct);
                continue;
            }
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
            var store = await OpenAsync(set, create: false, ct);
            var result = await new RestoreRunner(store, definition.Concurrency, state.Indexes(set)).RunAsync(
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

    /// <summary>Restore drills of the sets (see <see cref="RestoreDrill"/>); the passing ones' times go to <paramref
    /// name="metricsFile"/>, and any failure fails the whole after every set was tried.</summary>
    public async Task<IReadOnlyList<DrillResult>> DrillAsync(IReadOnlyList<BackupSet> sets, string? metricsFile, CancellationToken ct)
    {
        var drill = new RestoreDrill((set, token) => OpenAsync(set, create: false, token), state, definition.Concurrency, PostgresPassword);
        var results = new List<DrillResult>();
        foreach (var set in sets)
        {
            var result = await drill.RunAsync(set, DateTimeOffset.UtcNow, ct);
            results.Add(result);
            if (result.Passed)
                Log.Information($"{set.Name}: drill passed: snapshot {result.SnapshotId} ({result.Bytes:N0} bytes) restored and verified "
                    + $"in {result.TimeToRestore.TotalSeconds:F1} s.");
            else Log.Error($"{set.Name}: drill failed: {result.Failure}");
            if (metricsFile is not null) DrillMetrics.Write(metricsFile, [result], DateTimeOffset.UtcNow);
        }
        var failed = results.Where(r => !r.Passed).ToList();
        if (failed.Count > 0)
            throw new PipelineException($"RestoreDrill failed for {string.Join(", ", failed.Select(f => f.Set))}: {failed[0].Failure}"
                + (failed.Count > 1 ? " (the others are listed above)" : ""));
        return results;
    }

    public async Task<string> ListAsync(IReadOnlyList<BackupSet> sets, CancellationToken ct)
    {
        var sb = new StringBuilder();
        foreach (var set in sets)
        {
            var catalog = new SnapshotCatalog(await OpenAsync(set, create: false, ct), state.Manifests(set));
            var snapshots = await catalog.ListAsync(set.Name, ct);
            sb.AppendLine(CultureInfo.InvariantCulture, $"{set.Name} ({set.Repository}): {snapshots.Count} snapshots");
            foreach (var s in snapshots)
            {
                var local = TimeZoneInfo.ConvertTime(s.Time, set.Retention.TimeZone);
                SnapshotManifest m;
                try { m = await catalog.ReadAsync(set.Name, s.Id, ct); }
                catch (SealedForOthersException)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"  {s.Id}  {local:yyyy-MM-dd HH:mm:ss zzz}  (sealed: this host holds only "
                        + $"the operators' public key)");
                    continue;
                }
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
                await new Pruner(await OpenAsync(first, false, ct), definition.GracePeriod, state.Manifests(first), state.Indexes(first))
                .RunAsync(
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
                await OpenAsync(repository.First(), create: false, ct),
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
