using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>A real s3rver on 127.0.0.1:23100 (or PIPELINE_TEST_S3RVER_PORT, for a second worktree running these tests
/// at the same time) for the tests of this collection, stopped by pid at the end.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public static readonly int Port =
        int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_TEST_S3RVER_PORT"), out var port) ? port : 23100;
    public const string Bucket = "backups-tests";

    private readonly AbsolutePath _directory = new(Path.Combine(Path.GetTempPath(), $"pipeline-s3rver-tests-{Environment.ProcessId}"));
    private LocalServiceManager Services => new(_directory / "services");

    public S3Endpoint Endpoint => S3rver.Endpoint(Port);

    /// <summary>Where s3rver keeps the buckets: <c>&lt;bucket&gt;/&lt;key&gt;._S3rver_object</c> is an object's content
    /// (its MD5, served as the ETag, sits beside it in <c>._S3rver_object.md5</c>).</summary>
    public string DataDirectory => _directory / "data";

    /// <summary>A store on the test bucket under a prefix of its own, so tests never see each other's keys.</summary>
    public S3ObjectStore Store(string prefix) => new(Endpoint, Bucket, $"{prefix}-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        var spec = S3rver.Spec(DataDirectory, Port, [Bucket], name: "s3rver-tests");
        await Services.StartAsync(spec, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Services.StopAsync("s3rver-tests", CancellationToken.None);
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "s3rver (backups)";
}
