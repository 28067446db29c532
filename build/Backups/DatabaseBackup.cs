using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Postgres;
using Pipeline.Tools.Process;
using Pipeline.Tools.S3;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Backups;

/// <summary>
/// Backs up a set of <c>postgres:</c> sources: each database's pg_dump (custom format) is piped from the process straight
/// into the content-defined chunk store (<see cref="ChunkStore"/> with <see cref="ChunkSizes.Dumps"/>, never a file on
/// disk), its new chunks packed like any others, and recorded as a source of one entry listing the dump's chunks; the
/// snapshot manifest is written last, once every pack is stored, and not at all when every dump equals the latest
/// snapshot's. Prune, verify and restore see the chunks as any other contents.
/// </summary>
/// <param name="password">The server password from --postgres-password (PGPASSWORD) when a URL has none.</param>
public sealed class DatabaseBackup(IObjectStore store, BackupSet set, BackupState state, string? password)
{
    /// <summary>The mode recorded for a dump (it is never a file on this side, but entries carry one).</summary>
    public const int DumpMode = 0b110_000_000;

    public async Task<BackupResult> RunAsync(bool dryRun, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        if (dryRun)
        {
            Log.Information($"{set.Name}: would dump {string.Join(", ", set.Sources.Select(s => s.Name))} (dry run: nothing sent).");
            return new BackupResult(set.Name, null, false, set.Sources.Count, 0, 0, 0, 0, watch.Elapsed);
        }
        var catalog = new SnapshotCatalog(store, state.Manifests(set));
        var naming = await ContentNaming.OfWriterAsync(store, ct);
        var markers = new RepositoryMarkers(store);
        var marker = await markers.PlaceAsync(RepositoryLayout.BackupMarker(RepositoryLayout.NewSnapshotId(DateTimeOffset.UtcNow)), ct);
        var packs = new PackCatalog(store, state.Indexes(set));
        var packer = new PackWriter(store, packs, naming: naming);
        var fresh = markers.KeepFresh(marker, RepositoryMarkers.BackupMarkerLifetime / 12);
        try
        {
            await markers.WaitForPrunesAsync(TimeSpan.FromMinutes(10), ct);
            var present = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            foreach (var sha in (await packs.LoadAsync(ct)).Locations().Keys) present[sha] = true;
            var chunks = new ChunkStore(packer, present, ChunkSizes.Dumps);
            var sources = new List<SnapshotSource>();
            foreach (var source in set.Sources)
            {
                var (storedChunks, storedBytes) = (chunks.StoredChunks, chunks.StoredBytes);
                var dump = await DumpAsync(source.Postgres!, chunks, ct);
                Log.Information(
                    $"{set.Name}: {source.Name}: dumped {dump.Size:N0} bytes (SHA-256 {dump.Sha256}) in {dump.Chunks.Count} chunks; "
                    + $"{chunks.StoredChunks - storedChunks} new ({chunks.StoredBytes - storedBytes:N0} bytes), the others were stored already."
                );
                sources.Add(new SnapshotSource(source.Name, SourceKind.Postgres, source.Path, true, [Entry(dump)]));
            }
            await packer.CompleteAsync(ct);
            var id = await CommitAsync(catalog, sources, naming, ct);
            var bytes = sources.Sum(s => s.Entries.Sum(e => e.Size));
            return new BackupResult(set.Name, id.Id, id.UpToDate, sources.Count, bytes, chunks.StoredChunks, chunks.StoredBytes, 0,
                watch.Elapsed);
        }
        finally
        {
            await packer.DrainAsync(); // after a failure: no pack upload may outlive the run (or its marker)
            await fresh.DisposeAsync();
            await markers.RemoveAsync(marker);
        }
    }

    /// <summary>A dump as the one entry of its source: the dump's SHA-256 and size, and its chunks in order.</summary>
    public static SnapshotEntry Entry(StoredStream dump) =>
        new(".", EntryKind.File, DumpMode, dump.Size, 0, dump.Sha256, Chunks: dump.Chunks);

    /// <summary>The stored contents of a database source of a snapshot, in the dump's order: its entry's chunks, or (a
    /// snapshot written before dumps were chunked) its fixed-size pieces <c>000000</c>, <c>000001</c>, …, each an entry.</summary>
    public static IReadOnlyList<SnapshotChunk> Chunks(SnapshotSource source) =>
        source.Entries.Where(e => e.Type == EntryKind.File).OrderBy(e => e.Path, StringComparer.Ordinal)
            .SelectMany(e => e.StoredContents()).ToList();

    private async Task<StoredStream> DumpAsync(PostgresSource source, ChunkStore chunks, CancellationToken ct)
    {
        StoredStream? stored = null;
        var dump = PostgresCommands.Dump(source.Connection.WithPasswordIfNone(password), source.Database).WithLog()
            .WithStandardOutputPipe(PipeTarget.Create(async (stdout, token) => stored = await chunks.StoreStreamAsync(stdout, token)));
        Log.Information($"{set.Name}: dumping {source.Name}…");
        await dump.RunAsync(ct);
        return stored ?? throw new PipelineException($"{source.Name}: pg_dump wrote nothing.");
    }

    private async Task<(string Id, bool UpToDate)> CommitAsync(
        SnapshotCatalog catalog,
        List<SnapshotSource> sources,
        ContentNaming naming,
        CancellationToken ct
    )
    {
        var tree = SnapshotManifest.TreeOf(sources);
        if (await catalog.LatestAsync(set.Name, ct) is { } latest)
        {
            SnapshotManifest? previous = null;
            try { previous = await catalog.ReadAsync(set.Name, latest.Id, ct); }
            catch (SealedForOthersException) { }
            if (previous?.Tree == tree)
            {
                Log.Information($"{set.Name}: up to date (every dump equals snapshot {latest.Id}).");
                return (latest.Id, true);
            }
        }
        var manifest = new SnapshotManifest(SnapshotManifest.CurrentFormat, RepositoryLayout.NewSnapshotId(DateTimeOffset.UtcNow),
            set.Name, DateTimeOffset.UtcNow, Environment.MachineName, sources)
        { Naming = naming.RecordedKey };
        await catalog.WriteAsync(manifest, ct);
        if (naming.RecordedKey is null) catalog.Remember(manifest);
        Log.Information($"{set.Name}: snapshot {manifest.Id}: {sources.Count} databases, {manifest.Bytes:N0} bytes of dumps.");
        return (manifest.Id, false);
    }
}
