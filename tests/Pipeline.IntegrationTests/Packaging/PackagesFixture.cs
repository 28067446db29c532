using Pipeline.Packaging.Execution;
using Xunit;

namespace Pipeline.IntegrationTests.Packaging;

/// <summary>
/// The Packages executor run once on the real repository, into artifacts of its own under .nuke/temp/packaging-tests/.
/// Its publish is cached there by the executor's own inputs hash, so later runs of the suite do no build work.
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    private readonly Lazy<Task<DebianChroot>> _chroot = new(() => DebianChroot.EnsureAsync(RepositoryRoot.Cache));

    public string ArtifactsDirectory { get; } = Path.Combine(RepositoryRoot.Cache, "artifacts");
    public string TemporaryDirectory { get; } = Path.Combine(RepositoryRoot.Cache, "temp");
    public PackageOutcome Heartbeat { get; private set; } = null!;
    public string DebPath => Path.Combine(ArtifactsDirectory, "packages", Heartbeat.FileName);
    public string RepositoryDirectory => Path.Combine(ArtifactsDirectory, "apt");
    public Task<DebianChroot> Chroot => _chroot.Value;

    public PackagesExecutor Executor(string? artifacts = null, string? temporary = null) =>
        new(PackageLayout.Of(new(RepositoryRoot.Path), new(artifacts ?? ArtifactsDirectory), new(temporary ?? TemporaryDirectory)));

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root") return; // every test here is a RootFact, skipped
        Shell.Require("lintian", "debootstrap", "gpg");
        var outcomes = await Executor().RunAsync(CancellationToken.None);
        Heartbeat = outcomes.Single(o => o.Name == "heartbeat");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackagesFixture>
{
    public const string Name = "Packaging (real tools)";
}
