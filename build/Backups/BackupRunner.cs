using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Backups;

public sealed record BackupOptions(BackupState State, int Concurrency = 8, bool DryRun = false)
{
    /// <summary>Below this many unknown hashes each is asked for (HEAD); above, the objects are listed once.</summary>
    public int HeadLimit { get; init; } = 256;

    /// <summary>Files larger than this are cut into chunks (<see cref="ChunkStore"/>); <see cref="long.MaxValue"/> stores
    /// them whole, as Pipeline did before chunking (tests use it to make such a repository).</summary>
    public long ChunkFilesAbove { get; init; } = PackWriter.MaxPackedSize;
}

public sealed record BackupResult(
    string Set,
    string? SnapshotId,
    bool UpToDate,
    int Files,
    long Bytes,
    int UploadedObjects,
    long UploadedBytes,
    int ReadFiles,
    TimeSpan Duration
);

/// <summary>
/// Backs one set up into its repository: scan, trust unchanged files from the cache, read and hash the rest,
/// store each missing content once (small ones packed, bounded concurrency), and only then write the snapshot manifest.
/// </summary>
public sealed class BackupRunner(IObjectStore store, BackupSet set, BackupOptions options)
{
    private ContentStore _content = new(store);
    private readonly SnapshotCatalog _catalog = new(store, options.State.Manifests(set));
    private readonly PackCatalog _packs = new(store, options.State.Indexes(set));
    private string CacheFile => options.State.FileCache(set);

    /// <param name="roots">Each source of the set and the local path to read it from (itself, or where it was staged).</param>
    public async Task<BackupResult> RunAsync(IReadOnlyList<(BackupSource Source, string Root)> roots, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var plan = await PlanAsync(roots, ct);
        if (plan.ToRead.Count == 0 && plan.CacheMatchesLatest)
        {
            var tree = SnapshotManifest.TreeOf(
                Sources(plan.Scanned, plan.Files.ToDictionary(p => p.Entry.FullPath, p => new Hashed(p.KnownSha256!, p.Entry.Stat.Size)))
            );
            if (tree == plan.Cache.LatestTree)
            {
                Log.Information($"{set.Name}: up to date ({plan.Files.Count} files unchanged since snapshot {plan.Latest!.Id}).");
                return Result(plan.Latest.Id, upToDate: true, plan, 0, 0, 0, watch);
            }
        }
        if (options.DryRun)
        {
            Log.Information(
                $"{set.Name}: would read {plan.ToRead.Count} of {plan.Files.Count} files ({plan.ToRead.Sum(p => p.Entry.Stat.Size):N0} "
                + $"bytes) and write a new snapshot (dry run: nothing sent)."
            );
            return Result(null, upToDate: false, plan, 0, 0, plan.ToRead.Count, watch);
        }

        var naming = await ContentNaming.OfWriterAsync(store, ct);
        _content = new ContentStore(store, naming);
        var markers = new RepositoryMarkers(store);
        var marker = await markers.PlaceAsync(RepositoryLayout.BackupMarker(RepositoryLayout.NewSnapshotId(DateTimeOffset.UtcNow)), ct);
        var packer = new PackWriter(store, _packs, naming: naming);
        var fresh = markers.KeepFresh(marker, RepositoryMarkers.BackupMarkerLifetime / 12);
        try
        {
            await markers.WaitForPrunesAsync(TimeSpan.FromMinutes(10), ct);
            var (previous, transfer, hashes) = await UploadAsync(plan, packer, ct);
            var id = await CommitAsync(plan, previous, transfer, packer, hashes, naming, ct);
            return Result(id, id == plan.Latest?.Id, plan, transfer.UploadedObjects, transfer.UploadedBytes, transfer.ReadFiles, watch);
        }
        finally
        {
            await packer.DrainAsync(); // after a failure: no pack upload may outlive the run (or its marker)
            await fresh.DisposeAsync();
            await markers.RemoveAsync(marker);
        }
    }

    /// <summary>What the run starts from: the scanned sources, which files must be read, and the latest snapshot.</summary>
    private sealed record Plan(
        List<(BackupSource Source, string Root, IReadOnlyList<ScannedEntry> Entries)> Scanned,
        List<PlannedFile> Files,
        List<PlannedFile> ToRead,
        HashCache Cache,
        long ScanStartedNs,
        SnapshotRef? Latest
    )
    {
        public bool CacheMatchesLatest => Latest is not null && Cache.LatestSnapshot == Latest.Id;
    }

    private async Task<Plan> PlanAsync(IReadOnlyList<(BackupSource Source, string Root)> roots, CancellationToken ct)
    {
        var scanStartedNs = HashCache.NowNs();
        var cache = HashCache.Load(CacheFile);
        // Asked while the sources are scanned: whether the cached snapshot is still the latest (one cheap request
        // without the SDK), or else which one is.
        var probe =
            cache.LatestSnapshot is { } cachedId && SealedObjectStore.Unwrap(store) is S3ObjectStore s3
                ? Task.Run(() => new LatestSnapshotProbe(s3).IsLatestAsync(set.Name, cachedId, ct), ct)
                : null;
        var latestQuery = probe is null ? Task.Run(() => _catalog.LatestAsync(set.Name, ct), ct) : null;
        var excludes = new ExcludeFilter(set.Excludes);
        var scanned = roots.Select(r => (r.Source, r.Root, Entries: SourceScanner.Scan(r.Root, excludes))).ToList();
        var planned = scanned.SelectMany(s => BackupPlanner.Plan(s.Entries, cache)).ToList();
        var toRead = planned.Where(p => p.KnownSha256 is null).ToList();
        var latest = probe is not null && await probe ? CachedLatest(cache) : await (latestQuery ?? _catalog.LatestAsync(set.Name, ct));
        return new Plan(scanned, planned, toRead, cache, scanStartedNs, latest);
    }

    /// <summary>Stores every content the repository lacks (small ones packed), and returns each file's hash.</summary>
    private async Task<(SnapshotManifest? Previous, Transfer Transfer, ConcurrentDictionary<string, Hashed> Hashes)> UploadAsync(
        Plan plan,
        PackWriter packer,
        CancellationToken ct
    )
    {
        var present = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var previous = plan.Latest is null || plan.CacheMatchesLatest ? null : await PreviousAsync(plan.Latest, ct);
        // What is stored already: packed contents (every index), and objects of their own (listed once when many
        // files are to be read, otherwise looked up one by one or vouched for by the latest snapshot).
        var indexes = _packs.LoadAsync(ct);
        var listed = plan.ToRead.Count > options.HeadLimit ? await _content.ListAsync(ct) : null;
        var locations = (await indexes).Locations();
        foreach (var sha in locations.Keys) present[sha] = true;
        // The latest snapshot's contents (as the cache or its manifest name them) are stored; a small one is
        // trusted only where an index names it, so one whose index was lost is sent again, not referenced blindly.
        // A chunked file is no object of its own: its chunks are packed, and found in the indexes.
        var vouched = plan.CacheMatchesLatest ? plan.Cache.Files.Values.Where(f => f.Chunks is null).Select(f => (f.Sha256, f.Size))
            : previous?.Sources.SelectMany(s => s.Entries).Where(e => e.Sha256 is not null && e.Chunks is null)
                .Select(e => (e.Sha256!, e.Size)) ?? [];
        foreach (var (sha, size) in vouched)
            if (size > PackWriter.MaxPackedSize) present[sha] = true;
        var transfer = new Transfer(_content, packer, present, listed, options.ChunkFilesAbove);
        var hashes = new ConcurrentDictionary<string, Hashed>(StringComparer.Ordinal);
        var progress = new BackupProgress(set.Name, plan.Files.Count);
        await Parallel.ForEachAsync(
            plan.Files,
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
            async (file, token) =>
            {
                hashes[file.Entry.FullPath] = await transfer.StoreAsync(file, token);
                progress.Done(transfer);
            }
        );
        await packer.CompleteAsync(ct);
        return (previous, transfer, hashes);
    }

    /// <summary>The latest snapshot, or null when this host cannot read it (a write-only host: it was not its own).</summary>
    private async Task<SnapshotManifest?> PreviousAsync(SnapshotRef latest, CancellationToken ct)
    {
        try { return await _catalog.ReadAsync(set.Name, latest.Id, ct); }
        catch (SealedForOthersException) { return null; }
    }

    /// <summary>Writes the snapshot manifest (last, so a snapshot names only stored contents) unless it equals the latest.</summary>
    private async Task<string> CommitAsync(
        Plan plan,
        SnapshotManifest? previous,
        Transfer transfer,
        PackWriter packer,
        ConcurrentDictionary<string, Hashed> hashes,
        ContentNaming naming,
        CancellationToken ct
    )
    {
        var sources = Sources(plan.Scanned, hashes);
        var tree = SnapshotManifest.TreeOf(sources);
        string id;
        if (plan.Latest is not null && (plan.CacheMatchesLatest ? plan.Cache.LatestTree : previous?.Tree) == tree)
        {
            id = plan.Latest.Id;
            Log.Information($"{set.Name}: up to date (content equals snapshot {id}; {transfer.ReadFiles} files re-read).");
        }
        else
        {
            var manifest = new SnapshotManifest(
                SnapshotManifest.CurrentFormat,
                RepositoryLayout.NewSnapshotId(DateTimeOffset.UtcNow),
                set.Name,
                DateTimeOffset.UtcNow,
                Environment.MachineName,
                sources
            )
            { Naming = naming.RecordedKey };
            await _catalog.WriteAsync(manifest, ct);
            // A write-only host keeps no readable history: not even its own manifests (the file cache holds only the latest state).
            if (naming.RecordedKey is null) _catalog.Remember(manifest);
            id = manifest.Id;
            tree = manifest.Tree;
            Log.Information(
                $"{set.Name}: snapshot {id}: {manifest.Files} files, {manifest.Bytes:N0} bytes; stored {transfer.UploadedObjects} new "
                + $"contents ({transfer.UploadedBytes:N0} bytes: {transfer.PackedObjects} in {packer.PacksWritten} packs, "
                    + $"{transfer.UploadedObjects - transfer.PackedObjects} as objects), read {transfer.ReadFiles} files."
            );
        }
        var stats = plan.Files.ToDictionary(p => p.Entry.FullPath, p => p.Entry.Stat, StringComparer.Ordinal);
        new HashCache(hashes.ToDictionary(h => h.Key, h => Cached(stats[h.Key], h.Value)), plan.ScanStartedNs, id, tree).Save(CacheFile);
        return id;
    }

    private SnapshotRef CachedLatest(HashCache cache) =>
        new(set.Name, cache.LatestSnapshot!, RepositoryLayout.TimeOfSnapshotId(cache.LatestSnapshot!) ?? DateTimeOffset.MinValue, 0);

    private static CachedFile Cached(FileStat stat, Hashed hashed) =>
        new(hashed.Size, stat.Inode, stat.MTimeNs, stat.CTimeNs, hashed.Sha256, hashed.Chunks);

    private static List<SnapshotSource> Sources(
        IEnumerable<(BackupSource Source, string Root, IReadOnlyList<ScannedEntry> Entries)> scanned,
        IReadOnlyDictionary<string, Hashed> hashes
    ) =>
        scanned
            .Select(s => new SnapshotSource(
                s.Source.Name,
                s.Source.Kind,
                s.Source.Path,
                s.Entries is [{ RelativePath: "." }],
                BackupPlanner.Entries(s.Entries, hashes)
            ))
            .ToList();

    private BackupResult Result(string? id, bool upToDate, Plan plan, int uploaded, long uploadedBytes, int read, Stopwatch watch) =>
        new(set.Name, id, upToDate, plan.Files.Count, plan.Files.Sum(p => p.Entry.Stat.Size), uploaded, uploadedBytes, read, watch.Elapsed);
}

/// <param name="Chunks">A chunked file's chunks; null when it is stored whole.</param>
public readonly record struct Hashed(string Sha256, long Size, IReadOnlyList<SnapshotChunk>? Chunks = null);
