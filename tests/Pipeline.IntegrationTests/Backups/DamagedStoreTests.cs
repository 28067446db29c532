using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.IntegrationTests.Backups;

/// <summary>
/// A byte flipped on s3rver's disk, under objects the store goes on serving with their old MD5 as ETag (what a failing
/// disk or a bit flip on a real server looks like): a pack, an object sent in one PUT and one sent in parts.
/// </summary>
[Collection(S3rverCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DamagedStoreTests(S3rverFixture s3, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_get_of_an_object_whose_bytes_no_longer_match_its_ETag_fails_naming_the_object_after_handing_over_every_byte()
    {
        using var world = new BackupWorld(s3, "etag");
        await world.Store.PutAsync("some/key", new byte[1000], default);
        world.FlipStoredByte(s3, "some/key", 999);

        await using var body = (await world.Store.GetAsync("some/key", default))!;
        var buffer = new byte[1000];
        await body.ReadExactlyAsync(buffer);
        var end = async () => await body.ReadAsync(new byte[1]);

        buffer[999].Should().Be(1, "the last byte is handed over before the end is checked");
        var error = (await end.Should().ThrowAsync<DamagedObjectException>()).Which;
        output.WriteLine(error.Message);
        error
            .Message.Should()
            .StartWith(
                $"s3://{S3rverFixture.Bucket}/{world.Store.FullKey("some/key")} at {s3.Endpoint.ServiceUrl} is corrupt: its bytes hash "
                + $"(MD5) to "
            )
            .And.NotContain("Expected hash");
    }

    [Fact]
    public async Task VerifyBackups_names_each_damaged_pack_and_object_with_the_snapshots_and_files_using_it_and_counts_them()
    {
        using var world = new BackupWorld(s3, "verifydamage") { WholeLargeFiles = true }; // objects of their own
        var damage = await DamageAsync(world);

        var result = await new Verifier(world.Store).RunAsync([world.Set], default);
        var verify = () => Operations(world).VerifyAsync([world.Set], default);

        result.Damaged.Should().BeEquivalentTo(damage.Pack, damage.Whole, damage.Multipart);
        result.Problems.Should().HaveCount(3);
        result
            .Problems.Should()
            .ContainSingle(p => p.StartsWith($"content {damage.Shas["packed.txt"]} in pack {damage.Pack} is corrupt: it hashes to "));
        result.Problems.Should().ContainSingle(p => p.StartsWith($"object {damage.Whole} is corrupt: its content hashes to "));
        result.Problems.Should().ContainSingle(p => p.StartsWith($"object {damage.Multipart} is corrupt: its content hashes to "));
        foreach (
            var (file, problem) in new[] { "packed.txt", "whole.bin", "multi.bin" }.Zip(
                result.Problems.OrderBy(p =>
                    p.Contains("multi.bin") ? 2
                    : p.Contains("whole.bin") ? 1
                    : 0
                )
            )
        )
            problem
                .Should()
                .Contain($"used by {world.Source}/{file} in 2 snapshots: data {damage.Snapshots[0]}, data {damage.Snapshots[1]}");
        foreach (var problem in result.Problems) output.WriteLine(problem);
        (await verify.Should().ThrowAsync<PipelineException>())
            .Which.Message.Should()
            .Be(
                $"VerifyBackups found 3 problems in 3 stored objects: "
                + $"{string.Join(", ", new[] { damage.Multipart, damage.Whole, damage.Pack }.Order(StringComparer.Ordinal))} (each listed "
                    + $"above with the snapshots and files that use it; Restore refuses those snapshots)."
            );
    }

    [Fact]
    public async Task Restore_refuses_a_snapshot_using_a_flipped_pack_whole_object_or_multipart_object_naming_each_and_replaces_nothing()
    {
        using var world = new BackupWorld(s3, "restoredamage") { WholeLargeFiles = true }; // objects of their own
        var damage = await DamageAsync(world);
        var into = Path.Combine(world.Root, "restored");

        var restore = () => Operations(world).RestoreAsync([world.Set], null, into, dryRun: false, default);

        var message = (await restore.Should().ThrowAsync<PipelineException>()).Which.Message;
        output.WriteLine(message);
        message
            .Should()
            .StartWith(
                $"Restore of snapshot {damage.Snapshots[1]} of data refused, nothing was replaced: 3 files use 3 corrupt or missing "
                    + $"stored objects ({string.Join(", ", new[] { damage.Multipart, damage.Whole, damage.Pack }.Order(StringComparer.Ordinal))}): "
            )
            .And.NotContain("Expected hash");
        message
            .Should()
            .MatchRegex(
                $"{System.Text.RegularExpressions.Regex.Escape(world.Source)}/(multi|whole)\\.bin: its stored object objects/.* is "
                + $"corrupt \\(content hashes to [0-9a-f]{{64}}\\) \\(and 2 more, listed above\\)\\.$"
            );
        Directory
            .EnumerateFileSystemEntries(into, "*", SearchOption.AllDirectories)
            .Where(File.Exists)
            .Should()
            .BeEmpty("nothing is restored when any content is damaged");
    }

    private static BackupOperations Operations(BackupWorld world) =>
        new(new BackupsDefinition([world.Set], TimeSpan.FromHours(1), 4, null), _ => world.Store, world.State);

    private sealed record Damage(
        IReadOnlyList<string> Snapshots,
        IReadOnlyDictionary<string, string> Shas,
        string Pack,
        string Whole,
        string Multipart
    );

    /// <summary>Two snapshots of a small packed file (beside an intact one), a file stored whole and one sent in parts; then one byte of
    /// each flipped.</summary>
    private async Task<Damage> DamageAsync(BackupWorld world)
    {
        world.Write("fine.txt", 100, 1);
        world.Write("packed.txt", 100, 2);
        world.Write("whole.bin", (int)PackWriter.MaxPackedSize + 1, 3);
        world.Write("multi.bin", (int)S3ObjectStore.MultipartThreshold + 4096, 4);
        var first = await world.BackupAsync();
        world.Write("later.txt", 100, 5);
        var second = await world.BackupAsync();
        var shas = (await world.LatestAsync())
            .Sources[0]
            .Entries.Where(e => e.Sha256 is not null)
            .ToDictionary(e => e.Path, e => e.Sha256!);
        var at = (await new PackCatalog(world.Store).LoadAsync(default)).Locations()[shas["packed.txt"]];
        var (pack, whole, multipart) = (
            RepositoryLayout.Pack(at.Pack),
            RepositoryLayout.Object(shas["whole.bin"]),
            RepositoryLayout.Object(shas["multi.bin"])
        );
        world.FlipStoredByte(s3, pack, at.Offset + at.Size / 2);
        world.FlipStoredByte(s3, whole, 10);
        world.FlipStoredByte(s3, multipart, S3ObjectStore.PartSize + 10); // in its second part
        return new Damage([first.SnapshotId!, second.SnapshotId!], shas, pack, whole, multipart);
    }
}
