using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>Large files cut into content-defined chunks (<see cref="ChunkStore"/>), against s3rver.</summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ChunkedBackupTests(S3rverFixture s3, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Size = 64 << 20;

    [Fact]
    public async Task A_large_file_changed_by_one_percent_in_a_few_places_sends_under_a_tenth_and_both_snapshots_restore_identically()
    {
        using var world = new BackupWorld(s3, "chunked");
        var set = world.Set with { Retention = new RetentionPolicy(1, 0, 0, 0, TimeZoneInfo.Utc) };
        var file = world.Write("dump.bin", Size, 1);
        world.Write("small.txt", 1000, 2);
        var first = await world.BackupAsync(set);
        var firstManifest = await world.LatestAsync(set);
        var before = TreeComparison.Describe(world.Source);

        ChangeOnePercent(file);
        var second = await world.BackupAsync(set);
        var secondManifest = await world.LatestAsync(set);
        var into = Path.Combine(world.Root, "restored");
        var intoFirst = Path.Combine(world.Root, "restored-first");
        await world.RestoreAsync(secondManifest, into);
        await world.RestoreAsync(firstManifest, intoFirst);

        output.WriteLine($"first: {first.UploadedBytes:N0} bytes in {first.UploadedObjects} contents; "
            + $"second: {second.UploadedBytes:N0} bytes in {second.UploadedObjects}");
        first.UploadedBytes.Should().BeGreaterThanOrEqualTo(Size);
        second.UploadedBytes.Should().BeLessThan(first.UploadedBytes / 10);
        var entry = secondManifest.Sources[0].Entries.Single(e => e.Path == "dump.bin");
        entry.Chunks.Should().NotBeNull().And.HaveCountGreaterThan(64);
        entry.Chunks!.Sum(c => c.Size).Should().Be(Size);
        TreeComparison.Describe(into).Should().Equal(TreeComparison.Describe(world.Source));
        TreeComparison.Describe(intoFirst).Should().Equal(before);

        // Prune forgets the first snapshot: its changed chunks go, the packs with chunks still used stay (or are repacked).
        var pruned = await new Pruner(world.Store, TimeSpan.Zero).RunAsync([set], dryRun: false, DateTimeOffset.UtcNow, default);
        var verified = await new Verifier(world.Store).RunAsync([set], default);
        var intoAfterPrune = Path.Combine(world.Root, "restored-after-prune");
        await world.RestoreAsync(await world.LatestAsync(set), intoAfterPrune);

        pruned.SnapshotsRemoved.Should().Be(1);
        pruned.ObjectsRemoved.Should().BeGreaterThan(0);
        verified.Problems.Should().BeEmpty();
        verified.Objects.Should().Be(entry.Chunks!.Select(c => c.Sha256).Distinct().Count() + 1);
        TreeComparison.Describe(intoAfterPrune).Should().Equal(TreeComparison.Describe(world.Source));
    }

    [Fact]
    public async Task A_corrupt_chunk_is_named_by_Verify_and_Restore_with_the_file_that_uses_it()
    {
        using var world = new BackupWorld(s3, "chunkdamage");
        world.Write("big.bin", 6 << 20, 3);
        await world.BackupAsync();
        var manifest = await world.LatestAsync();
        var chunk = manifest.Sources[0].Entries.Single().Chunks![2];
        await world.CorruptAsync(chunk.Sha256);

        var verified = await new Verifier(world.Store).RunAsync([world.Set], default);
        var restore = () => world.RestoreAsync(manifest, Path.Combine(world.Root, "restored"));

        verified.Problems.Should().ContainSingle().Which.Should().Contain(chunk.Sha256).And.Contain("big.bin");
        (await restore.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("big.bin").And.Contain(chunk.Sha256);
    }

    [Fact]
    public async Task A_repository_with_large_files_stored_whole_still_restores_and_keeps_unchanged_ones_whole()
    {
        using var world = new BackupWorld(s3, "beforechunks") { WholeLargeFiles = true };
        world.Write("kept.bin", 6 << 20, 4);
        var changed = world.Write("changed.bin", 6 << 20, 5);
        await world.BackupAsync();
        var old = await world.LatestAsync();

        ChangeOnePercent(changed);
        var result = await new BackupRunner(world.Store, world.Set, new BackupOptions(world.State)).RunAsync(
            [(world.Set.Sources[0], world.Source)],
            default
        );
        var latest = await world.LatestAsync();
        var into = Path.Combine(world.Root, "restored");
        var intoOld = Path.Combine(world.Root, "restored-old");
        await world.RestoreAsync(latest, into);
        await world.RestoreAsync(old, intoOld);

        result.UploadedBytes.Should().BeLessThanOrEqualTo(6 << 20, "the unchanged whole file is not sent again");
        latest.Sources[0].Entries.Single(e => e.Path == "kept.bin").Chunks.Should().BeNull();
        latest.Sources[0].Entries.Single(e => e.Path == "changed.bin").Chunks.Should().NotBeNull();
        TreeComparison.Describe(into).Should().Equal(TreeComparison.Describe(world.Source));
        TreeComparison.Describe(intoOld)["kept.bin"].Should().Be(TreeComparison.Describe(world.Source)["kept.bin"]);
        (await new Verifier(world.Store).RunAsync([world.Set], default)).Problems.Should().BeEmpty();
    }

    /// <summary>Overwrites four spread-out runs of bytes, 1% of the file in all.</summary>
    private static void ChangeOnePercent(string path)
    {
        var length = new FileInfo(path).Length;
        var run = (int)(length / 100 / 4);
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write))
            for (var i = 0; i < 4; i++)
            {
                var bytes = new byte[run];
                new Random(100 + i).NextBytes(bytes);
                RandomAccess.Write(handle, bytes, length / 5 * (i + 1) - run / 2);
            }
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-4));
    }
}
