using FluentAssertions;
using Pipeline.Backups;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
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
        var old = await new Pruner(world.Store, TimeSpan.FromHours(1)).RunAsync(
            [set],
            dryRun: false,
            DateTimeOffset.UtcNow.AddHours(2),
            default
        );

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
        (await world.StoredContentsAsync()).Should().HaveCount(2);
    }

    [Fact]
    public async Task Verify_names_a_corrupt_packed_content_and_a_missing_object_with_the_files_that_use_them()
    {
        using var world = new BackupWorld(s3, "verify") { WholeLargeFiles = true }; // a repository written before chunking
        world.Write("fine.txt", 100, 1);
        world.Write("bad.txt", 100, 2);
        world.Write("lost.bin", (int)PackWriter.MaxPackedSize + 1, 3);
        await world.BackupAsync();
        var entries = (await world.LatestAsync()).Sources[0].Entries.ToDictionary(e => e.Path, e => e.Sha256);
        await world.CorruptAsync(entries["bad.txt"]!);
        await world.Store.DeleteAsync(RepositoryLayout.Object(entries["lost.bin"]!), default);

        var result = await new Verifier(world.Store).RunAsync([world.Set], default);

        result.Problems.Should().HaveCount(2);
        result.Problems.Should().Contain(p => p.Contains("corrupt") && p.Contains("bad.txt"));
        result.Problems.Should().Contain(p => p.Contains("missing") && p.Contains("lost.bin"));
    }

    [Fact]
    public async Task Prune_repacks_a_pack_whose_contents_are_partly_unreferenced_and_every_kept_snapshot_still_verifies()
    {
        using var world = new BackupWorld(s3, "repack");
        var set = world.Set with { Retention = new RetentionPolicy(1, 0, 0, 0, TimeZoneInfo.Utc) };
        for (var i = 0; i < 10; i++) world.Write($"f{i}.dat", 2_000, i);
        await world.BackupAsync(set);
        var packsBefore = (await new PackCatalog(world.Store).LoadAsync(default)).Indexes.Select(i => i.Index.Pack).ToList();
        for (var i = 0; i < 4; i++) File.Delete(Path.Combine(world.Source, $"f{i}.dat"));
        await world.BackupAsync(set);

        var result = await new Pruner(world.Store, TimeSpan.Zero).RunAsync([set], dryRun: false, DateTimeOffset.UtcNow, default);

        result.ObjectsRemoved.Should().Be(4);
        var packsAfter = (await new PackCatalog(world.Store).LoadAsync(default)).Indexes;
        packsAfter.Should().ContainSingle().Which.Index.Blobs.Should().HaveCount(6);
        packsAfter.Select(i => i.Index.Pack).Should().NotIntersectWith(packsBefore);
        (await world.StoredContentsAsync()).Should().HaveCount(6);
        (await new Verifier(world.Store).RunAsync([set], default)).Problems.Should().BeEmpty();
        var into = Path.Combine(world.Root, "restored");
        await world.RestoreAsync(await world.LatestAsync(set), into);
        TreeComparison.Describe(into).Should().Equal(TreeComparison.Describe(world.Source));
    }

    [Fact]
    public async Task Prune_removes_a_pack_left_without_an_index_by_an_interrupted_backup_once_past_the_grace_period()
    {
        using var world = new BackupWorld(s3, "orphanpack");
        world.Write("a.txt", 100, 1);
        await world.BackupAsync();
        var orphan = RepositoryLayout.Pack(new string('f', 64));
        await world.Store.PutAsync(orphan, new MemoryStream(new byte[1000]), default);

        var young = await new Pruner(world.Store, TimeSpan.FromHours(1)).RunAsync(
            [world.Set],
            dryRun: false,
            DateTimeOffset.UtcNow,
            default
        );
        var old = await new Pruner(world.Store, TimeSpan.FromHours(1)).RunAsync(
            [world.Set],
            dryRun: false,
            DateTimeOffset.UtcNow.AddHours(2),
            default
        );

        young.ObjectsSpared.Should().Be(1);
        old.ObjectsRemoved.Should().Be(1);
        (await world.Store.ExistsAsync(orphan, default)).Should().BeFalse();
        (await new Verifier(world.Store).RunAsync([world.Set], default)).Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_truncated_pack_index_counts_as_absent_the_next_backup_stores_its_contents_again_and_prune_keeps_its_pack()
    {
        using var world = new BackupWorld(s3, "badindex");
        var set = world.Set with { Retention = new RetentionPolicy(1, 0, 0, 0, TimeZoneInfo.Utc) };
        world.Write("a.txt", 300, 1);
        world.Write("b.txt", 400, 2);
        await world.BackupAsync(set);
        var pack = (await new PackCatalog(world.Store).LoadAsync(default)).Indexes.Single().Index.Pack;
        await world.Store.PutAsync(RepositoryLayout.Index(pack), new MemoryStream("{\"format\":1,\"pack\""u8.ToArray()), default);
        Directory.Delete(world.State.Directory, recursive: true); // as on another machine: no local copies, no cache
        world.Write("c.txt", 500, 3);

        var again = await world.BackupAsync(set);
        var prune = await new Pruner(world.Store, TimeSpan.Zero).RunAsync([set], dryRun: false, DateTimeOffset.UtcNow, default);

        again.UploadedObjects.Should().Be(3, "a and b are named by no readable index any more, c is new");
        (await new PackCatalog(world.Store).LoadAsync(default)).Damaged.Select(d => d.Key).Should().Equal(RepositoryLayout.Index(pack));
        (await world.Store.ExistsAsync(RepositoryLayout.Pack(pack), default))
            .Should()
            .BeTrue("what an unreadable index describes is unknown: its pack stays");
        prune.SnapshotsRemoved.Should().Be(1);
        (await new Verifier(world.Store).RunAsync([set], default)).Problems.Should().BeEmpty();
        var into = Path.Combine(world.Root, "restored");
        await world.RestoreAsync(await world.LatestAsync(set), into);
        TreeComparison.Describe(into).Should().Equal(TreeComparison.Describe(world.Source));
    }
}
