using Pipeline.Engine;
using Pipeline.Tools.Postgres;
using Pipeline.Tools.Process;
using Pipeline.Tools.S3;
using System.Diagnostics;

namespace Pipeline.Backups;

/// <summary>What a drill of one set found: the snapshot, the time the restore took, and why it failed (null: it passed).</summary>
public sealed record DrillResult(string Set, string? SnapshotId, long Bytes, TimeSpan TimeToRestore, string? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// A restore drill: the latest snapshot of each set is restored where nothing depends on it — files into a scratch folder,
/// every content's SHA-256 checked on the way (<see cref="RestoreRunner"/>); databases into a scratch database on their
/// server, every chunk checked, then each configured check run against it — and the scratch copy is removed. The time
/// each restore took is the set's time to restore.
/// </summary>
public sealed class RestoreDrill(
    Func<BackupSet, CancellationToken, Task<IObjectStore>> open,
    BackupState state,
    int concurrency,
    string? password
)
{
    public async Task<DrillResult> RunAsync(BackupSet set, DateTimeOffset now, CancellationToken ct)
    {
        var store = await open(set, ct);
        var catalog = new SnapshotCatalog(store, state.Manifests(set));
        if (await catalog.LatestAsync(set.Name, ct) is not { } latest)
            return new DrillResult(set.Name, null, 0, TimeSpan.Zero,
                $"{set.Name} has no snapshot in {set.Repository} to restore (run ./build.sh Backup first)");
        var manifest = await catalog.ReadAsync(set.Name, latest.Id, ct);
        Log.Information($"{set.Name}: drill: restoring snapshot {manifest.Id} ({manifest.Bytes:N0} bytes)…");
        var watch = Stopwatch.StartNew();
        try
        {
            var (elapsed, failure) = set.IsDatabases
                ? await DatabasesAsync(store, set, manifest, now, ct)
                : (await FilesAsync(store, set, manifest, ct), null);
            return new DrillResult(set.Name, manifest.Id, manifest.Bytes, elapsed, failure);
        }
        catch (PipelineException e)
        {
            return new DrillResult(set.Name, manifest.Id, manifest.Bytes, watch.Elapsed, e.Message);
        }
    }

    private async Task<TimeSpan> FilesAsync(IObjectStore store, BackupSet set, SnapshotManifest manifest, CancellationToken ct)
    {
        var scratch = state.Directory / "drill" / set.Name;
        RestoreRunner.Delete(scratch);
        try
        {
            var result = await new RestoreRunner(store, concurrency, state.Indexes(set)).RunAsync(
                manifest,
                s => Path.Combine(scratch, BackupOperations.SafeName(s.Name)),
                ct
            );
            return result.Duration;
        }
        finally { RestoreRunner.Delete(scratch); }
    }

    /// <summary>Each database into a scratch database, its checks, then the scratch database dropped. Only the restores are
    /// timed (the checks are not part of getting the data back).</summary>
    private async Task<(TimeSpan Restoring, string? Failure)> DatabasesAsync(
        IObjectStore store,
        BackupSet set,
        SnapshotManifest manifest,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var restoring = TimeSpan.Zero;
        var problems = new List<string>();
        foreach (var source in manifest.Sources.Where(s => s.Kind == SourceKind.Postgres))
        {
            var connection = DatabaseRestore.ConnectionOf(source, set).WithPasswordIfNone(password);
            var scratch = ScratchName(source.Path, now);
            try
            {
                restoring += await new DatabaseRestore(store, password, state.Indexes(set))
                    .IntoDatabaseAsync(manifest, source, connection, scratch, ct);
                var checks = set.Sources.FirstOrDefault(s => s.Name == source.Name)?.Postgres?.Checks ?? [];
                foreach (var check in checks)
                {
                    var output = await PostgresCommands.Query(connection, scratch, check.Sql).RunBufferedAsync(ct);
                    var problem = check.Judge(output.StandardOutput);
                    Log.Information($"{set.Name}: drill: {source.Name}: {check.Sql} → {output.StandardOutput.Trim()}"
                        + (problem is null ? " (as expected)" : $": {problem}"));
                    if (problem is not null) problems.Add($"{source.Name}: the check \"{check.Sql}\" {problem}");
                }
            }
            finally { await DatabaseRestore.DropAsync(connection, scratch); }
        }
        return (restoring, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>The scratch database of a drill of <paramref name="database"/>: <c>drill_&lt;database&gt;_&lt;time&gt;</c>, at most
    /// 63 characters (PostgreSQL's limit).</summary>
    public static string ScratchName(string database, DateTimeOffset now)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var name = new string(database.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());
        return $"drill_{name[..Math.Min(name.Length, 63 - 6 - 1 - stamp.Length)]}_{stamp}";
    }
}
