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
        State = new BackupState(new Engine.AbsolutePath(Path.Combine(Root, "state")));
        Directory.CreateDirectory(Source);
        Store = new S3ObjectStore(s3.Endpoint, S3rverFixture.Bucket, $"{name}-{Guid.NewGuid():N}");
        Set = SetNamed("data", Source);
    }

    public string Root { get; }
    public string Source { get; }
    public BackupState State { get; }
    public S3ObjectStore Store { get; }
    public BackupSet Set { get; }

    public BackupSet SetNamed(string name, params string[] sources) =>
        new(
            name,
            sources.Select(s => new BackupSource(s, SourceKind.Local, s)).ToList(),
            [],
            S3rverFixture.Bucket,
            Store.Prefix.TrimEnd('/'),
            RetentionPolicy.Default(TimeZoneInfo.Utc)
        );

    /// <summary>Large files are stored whole, as before chunking (format 2): how repositories written before it look.</summary>
    public bool WholeLargeFiles { get; init; }

    public BackupRunner Runner(BackupSet? set = null, int concurrency = 8) =>
        new(
            Store,
            set ?? Set,
            new BackupOptions(State, concurrency) { ChunkFilesAbove = WholeLargeFiles ? long.MaxValue : PackWriter.MaxPackedSize }
        );

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

    /// <summary>Every content stored in the repository: objects of their own and packed ones.</summary>
    public async Task<IReadOnlySet<string>> StoredContentsAsync()
    {
        var stored = (await new ContentStore(Store).ListAsync(default)).Keys.ToHashSet(StringComparer.Ordinal);
        stored.UnionWith((await new PackCatalog(Store).LoadAsync(default)).Locations().Keys);
        return stored;
    }

    /// <summary>Damages a stored content where it lives (in its pack, keeping the pack's length, or its own object).</summary>
    public async Task CorruptAsync(string sha256)
    {
        if ((await new PackCatalog(Store).LoadAsync(default)).Locations().TryGetValue(sha256, out var at))
        {
            await using var body = (await Store.GetAsync(RepositoryLayout.Pack(at.Pack), default))!;
            using var bytes = new MemoryStream();
            await body.CopyToAsync(bytes);
            var pack = bytes.ToArray();
            pack[at.Offset + at.Size / 2] ^= 0xff;
            await Store.PutAsync(RepositoryLayout.Pack(at.Pack), new MemoryStream(pack), default);
        }
        else await Store.PutAsync(RepositoryLayout.Object(sha256), new MemoryStream("tampered"u8.ToArray()), default);
    }

    /// <summary>
    /// Damages a stored object as a failing disk would: flips one byte of its content in s3rver's own file, in place,
    /// so the server keeps serving the old MD5 as its ETag (a re-PUT would store a consistent new one).
    /// </summary>
    public void FlipStoredByte(S3rverFixture s3, string key, long offset)
    {
        var file = Path.Combine(s3.DataDirectory, S3rverFixture.Bucket, Store.FullKey(key) + "._S3rver_object");
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x01));
    }

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
