using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>A real s3rver (npm, 3.7.1) on 127.0.0.1:25620 shared by the deploy lock's tests (one collection), stopped by pid at the
/// end.</summary>
public sealed class LockS3rver : IAsyncLifetime
{
    public const int Port = 25620;
    public const string Bucket = "test-deploy-locks";
    private readonly string _directory = Directory.CreateTempSubdirectory("test-deploy-s3lock-").FullName;
    private LocalServiceManager Services => new(new AbsolutePath(Path.Combine(_directory, "services")));

    /// <summary>A store on the bucket, as each deployer (each racer) has its own.</summary>
    public S3ObjectStore Store() => new(S3rver.Endpoint(Port), Bucket);

    public Task InitializeAsync() =>
        Services.StartAsync(S3rver.Spec(Path.Combine(_directory, "data"), Port, [Bucket], "s3rver-25620"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Services.StopAllAsync(CancellationToken.None);
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class LockS3rverCollection : ICollectionFixture<LockS3rver>
{
    public const string Name = "s3rver (deploy lock)";
}
