using Pipeline.Engine;
using Pipeline.Tools.S3;

namespace Pipeline.Backups;

/// <summary>
/// Where Restore puts the databases of a snapshot: into a new database (<c>--into-database &lt;name&gt;</c>, a clone beside
/// the original on its server), or as dump files under <c>--restore-into</c>. Never over the live database: without either,
/// database sets are left out of a Restore.
/// </summary>
/// <param name="indexCache">Where pack indexes are kept locally, or null to read them all.</param>
public sealed class DatabaseTargets(IObjectStore store, string? password, string? indexCache = null)
{
    /// <summary>The sets a Restore works on: with --into-database exactly one database among them; without it or
    /// --restore-into, the file sets only.</summary>
    public static IReadOnlyList<BackupSet> Choose(IReadOnlyList<BackupSet> sets, string? restoreInto, string? intoDatabase)
    {
        if (intoDatabase is not null)
        {
            if (restoreInto is not null) throw new UsageException("Give --into-database or --restore-into, not both.");
            var databases = sets.Where(s => s.IsDatabases).ToList();
            var sources = databases.SelectMany(s => s.Sources).ToList();
            if (sources.Count != 1)
                throw new UsageException(
                    sources.Count == 0
                        ? $"--into-database restores a database, and none of the sets ({string.Join(", ", sets.Select(s => s.Name))}) "
                            + "has a postgres: source."
                        : $"--into-database makes one database, and the sets hold {sources.Count} ({string.Join(", ", sources)}): choose a "
                            + "set of one database with --backup-set."
                );
            return databases;
        }
        if (restoreInto is not null || sets.All(s => !s.IsDatabases)) return sets;
        if (sets.All(s => s.IsDatabases))
            throw new UsageException(
                $"{string.Join(", ", sets.Select(s => s.Name))} hold{(sets.Count == 1 ? "s" : "")} databases, which Restore never writes "
                + "over: give --into-database <new name> (a clone on the same server) or --restore-into <dir> (dump files)."
            );
        foreach (var set in sets.Where(s => s.IsDatabases))
            Log.Warning($"{set.Name}: not restored (databases are never restored over the live one: use --into-database).");
        return sets.Where(s => !s.IsDatabases).ToList();
    }

    public async Task RestoreAsync(
        BackupSet set,
        SnapshotManifest manifest,
        string? restoreInto,
        string? intoDatabase,
        bool dryRun,
        CancellationToken ct
    )
    {
        var restore = new DatabaseRestore(store, password, indexCache);
        foreach (var source in manifest.Sources.Where(s => s.Kind == SourceKind.Postgres))
        {
            var bytes = source.Entries.Sum(e => e.Size);
            if (intoDatabase is not null)
            {
                var connection = DatabaseRestore.ConnectionOf(source, set);
                if (dryRun)
                    Log.Information($"{set.Name}: would restore {source.Name} ({bytes:N0} bytes of dump) from snapshot {manifest.Id} into "
                        + $"a new database {intoDatabase} on {connection}.");
                else await restore.IntoDatabaseAsync(manifest, source, connection, intoDatabase, ct);
                continue;
            }
            var file = Path.Combine(restoreInto!, set.Name, BackupOperations.SafeName(source.Name) + ".dump");
            if (dryRun) Log.Information($"{set.Name}: would write the dump of {source.Name} ({bytes:N0} bytes) to {file}.");
            else await restore.ToFileAsync(manifest, source, file, ct);
        }
    }
}
