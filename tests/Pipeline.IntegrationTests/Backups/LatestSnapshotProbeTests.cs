using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Tools.Aws;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>The no-op backup's SDK-free question to a real s3rver (which checks the access key of a SigV4 request, not the
/// signature: the signature itself is checked against AWS's published example in the unit tests).</summary>
[Collection(S3rverCollection.Name)]
public sealed class LatestSnapshotProbeTests(S3rverFixture s3)
{
    [Fact]
    public async Task Probe_says_latest_only_for_the_newest_existing_manifest_of_the_set()
    {
        using var world = new BackupWorld(s3, "probe");
        world.Write("a.txt", 100, 1);
        var first = (await world.BackupAsync()).SnapshotId!;
        var probe = new LatestSnapshotProbe(world.Store);

        var firstIsLatest = await probe.IsLatestAsync("data", first, default);
        world.Write("a.txt", 200, 2);
        var second = (await world.BackupAsync()).SnapshotId!;

        firstIsLatest.Should().BeTrue();
        (await probe.IsLatestAsync("data", first, default)).Should().BeFalse("a later snapshot exists");
        (await probe.IsLatestAsync("data", second, default)).Should().BeTrue();
        (await probe.IsLatestAsync("other", second, default)).Should().BeFalse("no such manifest");
    }

    [Fact]
    public async Task A_refused_probe_says_no_so_the_backup_takes_its_ordinary_path()
    {
        using var world = new BackupWorld(s3, "probesig");
        world.Write("a.txt", 100, 1);
        var id = (await world.BackupAsync()).SnapshotId!;
        using var wrong = new S3ObjectStore(world.Store.Endpoint with { AccessKey = "NOT-A-KEY" }, world.Store.Bucket, world.Store.Prefix);

        (await new LatestSnapshotProbe(wrong).IsLatestAsync("data", id, default)).Should().BeFalse();
    }
}
