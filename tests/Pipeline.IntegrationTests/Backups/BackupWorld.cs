using Pipeline.Backups;
using Pipeline.Tools.S3;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>A source folder, a state folder and a repository of their own on the shared s3rver, for one test.</summary>
internal sealed class BackupWorld : IDisposable
{
    public BackupWorld(S3rverFixture s3, string name)
    {
        Root = Path.Combine(Path.GetTempPath(), $"pipeline-backup-{name}-{Guid.NewGuid():N}");
        Source = Path.Combine(Root, "source");
        State = Path.Combine(Root, "state");
        Directory.CreateDirectory(Source);
        Store = new S3ObjectStore(s3.Endpoint, S3rverFixture.Bucket, $"{name}-{Guid.NewGuid():N}");
        Set = SetNamed("data", Source);
    }

    public string Root { get; }
    public string Source { get; }
    public string State { get; }
    public S3ObjectStore Store { get; }
    public BackupSet Set { get; }

    public BackupSet SetNamed(string name, params string[] sources) =>
        new(name, sources.Select(s => new BackupSource(s, SourceKind.Local, s)).ToList(), [], S3rverFixture.Bucket, Store.Prefix.TrimEnd('/'), RetentionPolicy.Default(TimeZoneInfo.Utc));

    public BackupRunner Runner(BackupSet? set = null, int concurrency = 8) => new(Store, set ?? Set, new BackupOptions(State, concurrency));

    public Task<BackupResult> BackupAsync(CancellationToken ct = default) => BackupAsync(Set, ct);

    public Task<BackupResult> BackupAsync(BackupSet set, CancellationToken ct = default) =>
        Runner(set).RunAsync(set.Sources.Select(s => (s, s.Path)).ToList(), ct);

    public async Task<SnapshotManifest> LatestAsync(BackupSet? set = null)
    {
        var catalog = new SnapshotCatalog(Store);
        var latest = await catalog.LatestAsync((set ?? Set).Name, default) ?? throw new InvalidOperationException("no snapshot");
        return await catalog.ReadAsync((set ?? Set).Name, latest.Id, default);
    }

    public Task<RestoreResult> RestoreAsync(SnapshotManifest manifest, string into) =>
        new RestoreRunner(Store).RunAsync(manifest, _ => into, default);

    /// <summary>Writes a file with deterministic content, creating folders.</summary>
    public string Write(string relative, int size, int seed)
    {
        var path = Path.Combine(Source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        // Old enough that the cache may trust it on the next run (outside the racy window).
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5));
        return path;
    }

    public void Dispose()
    {
        Store.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
