using FluentAssertions;
using Pipeline.Backups;
using Xunit;

namespace Pipeline.Tests.Backups;

/// <summary>Prune's pack decisions in memory (the S3 round trips are in the integration tests, against s3rver).</summary>
public sealed class PrunerTests
{
    private static readonly BackupSet Set = new("data", [], [], "bucket", "", new RetentionPolicy(1, 0, 0, 0, TimeZoneInfo.Utc));

    private static (string Sha, byte[] Bytes) Content(int seed) => TestContent.Of(100 + seed, seed);

    private static async Task<string> PackAsync(MemoryObjectStore store, params (string Sha, byte[] Bytes)[] contents)
    {
        var writer = new PackWriter(store, new PackCatalog(store));
        foreach (var (sha, bytes) in contents) await writer.AddAsync(sha, bytes, default);
        await writer.CompleteAsync(default);
        await Task.Delay(20); // the next pack is younger
        return writer.Written.Single();
    }

    [Fact]
    public async Task A_repack_that_yields_an_existing_pack_keeps_that_pack_and_the_content_stays_stored()
    {
        var store = new MemoryObjectStore();
        var (a, b) = (Content(1), Content(2));
        var older = await PackAsync(store, a);     // [a]
        var newer = await PackAsync(store, a, b);  // [a, b]: a second copy of a, and b that no snapshot uses
        await new SnapshotCatalog(store).WriteAsync(
            new SnapshotManifest(
                SnapshotManifest.CurrentFormat,
                RepositoryLayout.NewSnapshotId(DateTimeOffset.UtcNow),
                "data",
                DateTimeOffset.UtcNow,
                "host",
                [
                    new SnapshotSource(
                        "src",
                        SourceKind.Local,
                        "/src",
                        false,
                        [new SnapshotEntry("a", EntryKind.File, 0x1a4, a.Bytes.Length, 0, a.Sha)]
                    ),
                ]
            ),
            default
        );

        await new Pruner(store, TimeSpan.Zero).RunAsync([Set], dryRun: false, DateTimeOffset.UtcNow.AddMinutes(1), default);

        var locations = (await new PackCatalog(store).LoadAsync(default)).Locations();
        locations.Keys.Should().Equal(a.Sha);
        locations[a.Sha].Pack.Should().Be(older, "repacking [a, b] to [a] gives the bytes of the older pack, which must stay");
        store.Objects.Should().ContainKey(RepositoryLayout.Pack(older)).And.NotContainKey(RepositoryLayout.Pack(newer));
    }
}
