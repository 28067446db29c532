using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Postgres;
using Pipeline.Tools.Process;
using Pipeline.Tools.S3;
using System.Diagnostics;

namespace Pipeline.Backups;

/// <summary>
/// Backs up a set of <c>postgres:</c> sources: each database's pg_dump (custom format) is piped from the process straight
/// into the repository (<see cref="StreamedContent"/>, never a file on disk), and recorded as a source whose entries are
/// the dump's pieces in order; the snapshot manifest is written last, and not at all when every dump equals the latest
/// snapshot's. Prune, verify and restore see the pieces as any other contents.
/// </summary>
/// <param name="password">The server password from --postgres-password (PGPASSWORD) when a URL has none.</param>
public sealed class DatabaseBackup(IObjectStore store, BackupSet set, BackupState state, string? password)
{
    /// <summary>The mode recorded for a dump's pieces (they are never files on this side, but entries carry one).</summary>
    public const int PieceMode = 0b110_000_000;

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
        var fresh = markers.KeepFresh(marker, RepositoryMarkers.BackupMarkerLifetime / 12);
        try
        {
            await markers.WaitForPrunesAsync(TimeSpan.FromMinutes(10), ct);
            var streamed = new StreamedContent(store, naming);
            var sources = new List<SnapshotSource>();
            var (uploaded, uploadedBytes) = (0, 0L);
            foreach (var source in set.Sources)
            {
                var dump = await DumpAsync(source.Postgres!, streamed, ct);
                Log.Information(
                    $"{set.Name}: {source.Name}: dumped {dump.Size:N0} bytes (SHA-256 {dump.Sha256}) in {dump.Pieces.Count} pieces; sent "
                    + $"{dump.UploadedPieces} ({dump.UploadedBytes:N0} bytes), the others were stored already."
                );
                uploaded += dump.UploadedPieces;
                uploadedBytes += dump.UploadedBytes;
                sources.Add(new SnapshotSource(source.Name, SourceKind.Postgres, source.Path, false, Entries(dump.Pieces)));
            }
            var id = await CommitAsync(catalog, sources, naming, ct);
            var bytes = sources.Sum(s => s.Entries.Sum(e => e.Size));
            return new BackupResult(set.Name, id.Id, id.UpToDate, sources.Count, bytes, uploaded, uploadedBytes, 0, watch.Elapsed);
        }
        finally
        {
            await fresh.DisposeAsync();
            await markers.RemoveAsync(marker);
        }
    }

    /// <summary>A dump's pieces as the entries of its source: <c>000000</c>, <c>000001</c>, … in order.</summary>
    public static IReadOnlyList<SnapshotEntry> Entries(IReadOnlyList<Hashed> pieces) =>
        pieces.Select((p, i) => new SnapshotEntry(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), EntryKind.File,
            PieceMode, p.Size, 0, p.Sha256)).ToList();

    /// <summary>The pieces of a database source of a snapshot, in order.</summary>
    public static IReadOnlyList<Hashed> Pieces(SnapshotSource source) =>
        source.Entries.Where(e => e.Type == EntryKind.File).OrderBy(e => e.Path, StringComparer.Ordinal)
            .Select(e => new Hashed(e.Sha256!, e.Size)).ToList();

    private async Task<StoredPieces> DumpAsync(PostgresSource source, StreamedContent streamed, CancellationToken ct)
    {
        StoredPieces? stored = null;
        var dump = PostgresCommands.Dump(source.Connection.WithPasswordIfNone(password), source.Database).WithLog()
            .WithStandardOutputPipe(PipeTarget.Create(async (stdout, token) => stored = await streamed.StoreAsync(stdout, token)));
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
