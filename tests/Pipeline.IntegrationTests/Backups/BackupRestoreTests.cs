using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupRestoreTests(S3rverFixture s3)
{
    [Fact]
    public async Task Restore_brings_back_contents_modes_times_and_links_of_the_snapshot()
    {
        using var world = new BackupWorld(s3, "roundtrip");
        world.Write("a.txt", 1000, 1);
        world.Write("deep/er/b.bin", 70_000, 2);
        world.Write("deep/nothing.txt", 0, 4);
        var script = world.Write("bin/run.sh", 10, 3);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetLastWriteTimeUtc(script, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        File.CreateSymbolicLink(Path.Combine(world.Source, "link"), "a.txt");
        Directory.CreateDirectory(Path.Combine(world.Source, "empty"));

        var result = await world.BackupAsync();
        var into = Path.Combine(world.Root, "restored");
        await world.RestoreAsync(await world.LatestAsync(), into);

        result.Files.Should().Be(4);
        TreeComparison.Describe(into).Should().Equal(TreeComparison.Describe(world.Source));
    }

    [Fact]
    public async Task Unchanged_files_are_neither_read_nor_sent_and_only_changed_ones_are()
    {
        using var world = new BackupWorld(s3, "incremental");
        for (var i = 0; i < 30; i++) world.Write($"f/{i}.dat", 5000 + i, i);
        var first = await world.BackupAsync();

        var noop = await world.BackupAsync();
        for (var i = 0; i < 3; i++) world.Write($"f/{i}.dat", 6000, 100 + i);
        var changed = await world.BackupAsync();

        first.UploadedObjects.Should().Be(30);
        noop.Should()
            .Match<BackupResult>(r => r.UpToDate && r.ReadFiles == 0 && r.UploadedObjects == 0 && r.SnapshotId == first.SnapshotId);
        changed.ReadFiles.Should().Be(3);
        changed.UploadedObjects.Should().Be(3);
        changed.SnapshotId.Should().NotBe(first.SnapshotId);
    }

    [Fact]
    public async Task Identical_content_is_stored_once_across_files_and_sets()
    {
        using var world = new BackupWorld(s3, "dedupe");
        var other = Path.Combine(world.Root, "other");
        Directory.CreateDirectory(other);
        var one = world.Write("one.bin", 20_000, 42);
        File.Copy(one, Path.Combine(world.Source, "copy.bin"));
        File.Copy(one, Path.Combine(other, "same.bin"));

        var a = await world.BackupAsync(world.SetNamed("first", world.Source));
        var b = await world.BackupAsync(world.SetNamed("second", other));

        a.UploadedObjects.Should().Be(1);
        b.UploadedObjects.Should().Be(0);
        (await world.StoredContentsAsync()).Should().HaveCount(1);
    }

    [Fact]
    public async Task A_file_over_the_multipart_threshold_round_trips()
    {
        using var world = new BackupWorld(s3, "large");
        world.Write("big.bin", (int)ContentStore.InMemoryLimit + 3_000_000, 9);

        await world.BackupAsync();
        var into = Path.Combine(world.Root, "restored");
        await world.RestoreAsync(await world.LatestAsync(), into);

        TreeComparison.Describe(into).Should().Equal(TreeComparison.Describe(world.Source));
    }

    [Fact]
    public async Task A_corrupted_stored_content_makes_restore_refuse_naming_the_file_with_nothing_replaced()
    {
        using var world = new BackupWorld(s3, "corrupt");
        world.Write("good.txt", 100, 1);
        var victim = world.Write("secrets/acme.json", 200, 2);
        await world.BackupAsync();
        var manifest = await world.LatestAsync();
        var sha = manifest.Sources[0].Entries.Single(e => e.Path == "secrets/acme.json").Sha256!;
        await world.CorruptAsync(sha);
        var target = Path.Combine(world.Root, "live");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "current.txt"), "what is there now");
        var before = TreeComparison.Describe(target);

        var restore = () => world.RestoreAsync(manifest, target);

        (await restore.Should().ThrowAsync<PipelineException>())
            .Which.Message.Should()
            .Contain("secrets/acme.json")
            .And.Contain("corrupt")
            .And.Contain("nothing was replaced");
        TreeComparison.Describe(target).Should().Equal(before);
        Directory.GetFileSystemEntries(world.Root).Select(Path.GetFileName).Should().BeEquivalentTo(["source", "state", "live"]);
    }

    [Fact]
    public async Task Restore_swaps_the_target_so_files_absent_from_the_snapshot_are_gone()
    {
        using var world = new BackupWorld(s3, "swap");
        world.Write("kept.txt", 10, 1);
        await world.BackupAsync();
        var target = Path.Combine(world.Root, "live");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "stray.txt"), "not in the snapshot");

        await world.RestoreAsync(await world.LatestAsync(), target);

        Directory.GetFiles(target).Select(Path.GetFileName).Should().Equal("kept.txt");
    }
}
