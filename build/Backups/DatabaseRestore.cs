using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Postgres;
using Pipeline.Tools.Process;
using Pipeline.Tools.S3;
using System.Diagnostics;

namespace Pipeline.Backups;

/// <summary>
/// Restores a database source of a snapshot: into a new database (createdb, then pg_restore reading the dump's chunks as
/// they download, each checked against its SHA-256 before pg_restore sees a byte of it: <see cref="ChunkedStreamReader"/>,
/// no temporary file), or as a dump file. A missing or corrupt chunk, or a failing pg_restore, drops the half-made database
/// again and fails naming the object; an existing database is never written to (createdb refuses it).
/// </summary>
/// <param name="indexCache">Where pack indexes are kept locally (they never change), or null to read them all.</param>
public sealed class DatabaseRestore(IObjectStore store, string? password, string? indexCache = null)
{
    /// <summary>The server a source of a snapshot was dumped from: the set's definition of it, or else the name it was
    /// recorded under (<c>postgres://user@host:port/database</c>).</summary>
    public static PostgresConnection ConnectionOf(SnapshotSource source, BackupSet set)
    {
        if (set.Sources.FirstOrDefault(s => s.Name == source.Name)?.Postgres is { } defined) return defined.Connection;
        var server = source.Name[..Math.Max(0, source.Name.LastIndexOf('/'))];
        return PostgresConnection.TryParse(server, out var problem)
            ?? throw new PipelineException($"{source.Name}: cannot tell its server ({problem}); add it to the set's sources again.");
    }

    /// <summary>Creates <paramref name="database"/> on <paramref name="connection"/> and restores the source into it.</summary>
    public async Task<TimeSpan> IntoDatabaseAsync(
        SnapshotManifest manifest,
        SnapshotSource source,
        PostgresConnection connection,
        string database,
        CancellationToken ct
    )
    {
        var watch = Stopwatch.StartNew();
        connection = connection.WithPasswordIfNone(password);
        var reader = await ReaderAsync(manifest, ct);
        var description = $"{manifest.Set} {manifest.Id} {source.Name}";
        await PostgresCommands.Create(connection, database).WithLog().RunAsync(ct);
        PipelineException? damaged = null;
        try
        {
            var restore = PostgresCommands.Restore(connection, database).WithLog()
                .WithStandardInputPipe(PipeSource.Create(async (stdin, token) =>
                {
                    try { await reader.CopyToAsync(DatabaseBackup.Chunks(source), stdin, description, token); }
                    catch (PipelineException e) when (e is DamagedChunkException or TamperedObjectException or DamagedObjectException)
                    {
                        damaged = e;
                    }
                }));
            try { await restore.RunAsync(ct); }
            catch (CommandException) when (damaged is not null) { }
            if (damaged is not null) throw damaged;
        }
        catch
        {
            Log.Warning($"{description}: restore into {database} failed; dropping the half-restored database {database}.");
            await DropAsync(connection, database);
            throw;
        }
        Log.Information($"{description}: restored into database {database} on {connection} in {watch.Elapsed.TotalSeconds:F1} s.");
        return watch.Elapsed;
    }

    /// <summary>Drops <paramref name="database"/> (after a failed restore, or a drill's scratch copy); a failure to do so is
    /// logged, not thrown, so it never hides why the database is being dropped.</summary>
    public static async Task DropAsync(PostgresConnection connection, string database)
    {
        try { await PostgresCommands.Drop(connection, database).WithLog().RunAsync(CancellationToken.None); }
        catch (PipelineException e) { Log.Warning($"Could not drop the database {database} on {connection}: {e.Message}"); }
    }

    /// <summary>Writes the source's dump (custom format, for pg_restore) to <paramref name="file"/>, checked chunk by chunk;
    /// the file appears under its name only when every chunk matched.</summary>
    public async Task ToFileAsync(SnapshotManifest manifest, SnapshotSource source, string file, CancellationToken ct)
    {
        var reader = await ReaderAsync(manifest, ct);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var temp = $"{file}.restoring-{manifest.Id}";
        try
        {
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                await reader.CopyToAsync(DatabaseBackup.Chunks(source), output, $"{manifest.Set} {manifest.Id} {source.Name}", ct);
            File.Move(temp, file, overwrite: true);
        }
        finally { File.Delete(temp); }
        Log.Information($"{manifest.Set}: wrote the dump of {source.Name} to {file} (pg_restore reads it).");
    }

    private async Task<ChunkedStreamReader> ReaderAsync(SnapshotManifest manifest, CancellationToken ct) =>
        new(store, await ContentNaming.OfAsync(store, manifest, ct), await new PackCatalog(store, indexCache).LoadAsync(ct));
}
