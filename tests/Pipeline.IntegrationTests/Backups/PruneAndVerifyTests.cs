using System.Text;
using FluentAssertions;
using Pipeline.Backups;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

[Collection(S3rverCollection.Name)]
public sealed class PruneAndVerifyTests(S3rverFixture s3)
{
    [Fact]
    public async Task Prune_forgets_snapshots_retention_drops_and_removes_only_their_objects_past_the_grace_period()
    {
        using var world = new BackupWorld(s3, "prune");
        var set = world.Set with { Retention = new RetentionPolicy(1, 0, 0, 0, TimeZoneInfo.Utc) };
        world.Write("stays.txt", 100, 1);
        var only = world.Write("goes.txt", 100, 2);
        await world.BackupAsync(set);
        File.Delete(only);
        var second = await world.BackupAsync(set);

        var young = await new Pruner(world.Store, TimeSpan.FromHours(1)).RunAsync([set], dryRun: false, DateTimeOffset.UtcNow, default);
        var old = await new Pruner(world.Store, TimeSpan.FromHours(1)).RunAsync([set], dryRun: false, DateTimeOffset.UtcNow.AddHours(2), default);

        young.Should().Match<PruneResult>(r => r.SnapshotsRemoved == 1 && r.ObjectsRemoved == 0 && r.ObjectsSpared == 1);
        old.Should().Match<PruneResult>(r => r.SnapshotsRemoved == 0 && r.ObjectsRemoved == 1);
        (await new SnapshotCatalog(world.Store).ListAsync(null, default)).Select(s => s.Id).Should().Equal(second.SnapshotId);
        var into = Path.Combine(world.Root, "restored");
        await world.RestoreAsync(await world.LatestAsync(set), into);
        Directory.GetFiles(into).Select(Path.GetFileName).Should().Equal("stays.txt");
    }

    [Fact]
    public async Task Prune_removes_no_object_while_a_backup_marker_is_fresh()
    {
        using var world = new BackupWorld(s3, "prunelock");
        var set = world.Set with { Retention = new RetentionPolicy(1, 0, 0, 0, TimeZoneInfo.Utc) };
        var file = world.Write("a.txt", 100, 1);
        await world.BackupAsync(set);
        File.Delete(file);
        world.Write("b.txt", 100, 2);
        await world.BackupAsync(set);
        await new RepositoryMarkers(world.Store).PlaceAsync(RepositoryLayout.BackupMarker("running"), default);

        var result = await new Pruner(world.Store, TimeSpan.Zero).RunAsync([set], dryRun: false, DateTimeOffset.UtcNow, default);

        result.ObjectsSkipped.Should().BeTrue();
        (await new ContentStore(world.Store).ListAsync(default)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Verify_names_a_corrupt_and_a_missing_object_with_the_files_that_use_them()
    {
        using var world = new BackupWorld(s3, "verify");
        world.Write("fine.txt", 100, 1);
        world.Write("bad.txt", 100, 2);
        world.Write("lost.txt", 100, 3);
        await world.BackupAsync();
        var entries = (await world.LatestAsync()).Sources[0].Entries.ToDictionary(e => e.Path, e => e.Sha256);
        await world.Store.PutAsync(RepositoryLayout.Object(entries["bad.txt"]!), new MemoryStream(Encoding.UTF8.GetBytes("flipped")), default);
        await world.Store.DeleteAsync(RepositoryLayout.Object(entries["lost.txt"]!), default);

        var result = await new Verifier(world.Store).RunAsync([world.Set], default);

        result.Problems.Should().HaveCount(2);
        result.Problems.Should().Contain(p => p.Contains("corrupt") && p.Contains("bad.txt"));
        result.Problems.Should().Contain(p => p.Contains("missing") && p.Contains("lost.txt"));
    }
}
