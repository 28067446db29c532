using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Backups;

public sealed class SnapshotFormatTests
{
    private static SnapshotManifest Manifest(string sha = "ab" + "00000000000000000000000000000000000000000000000000000000000000") =>
        new(
            1,
            "20261122T010203Z-abcdef",
            "acme",
            DateTimeOffset.UnixEpoch,
            "host",
            [
                new SnapshotSource(
                    "acme",
                    SourceKind.Local,
                    "/srv/acme",
                    false,
                    [
                        new SnapshotEntry("certs", EntryKind.Directory, 0x1ed, 0, 5),
                        new SnapshotEntry("certs/a.pem", EntryKind.File, 0x180, 12, 7, sha),
                        new SnapshotEntry("link", EntryKind.Symlink, 0x1ff, 0, 8, Target: "certs/a.pem"),
                    ]
                ),
            ]
        );

    [Fact]
    public void A_manifest_round_trips_through_json_and_counts_its_files()
    {
        var manifest = Manifest();

        var back = SnapshotManifest.FromJson(manifest.ToJson(), "k");

        back.Tree.Should().Be(manifest.Tree);
        back.Files.Should().Be(1);
        back.Bytes.Should().Be(12);
        back.Hashes.Should().Equal(manifest.Sources[0].Entries[1].Sha256);
    }

    [Fact]
    public void A_chunked_file_round_trips_with_its_chunks_which_are_what_the_snapshot_references()
    {
        var whole = "ee" + new string('0', 62);
        var chunks = new[] { new SnapshotChunk("c1" + new string('0', 62), 700), new SnapshotChunk("c2" + new string('0', 62), 300) };
        var manifest = Manifest() with
        {
            Format = SnapshotManifest.CurrentFormat,
            Sources = [new SnapshotSource("dump", SourceKind.Local, "/srv/dump", true, [
                new SnapshotEntry(".", EntryKind.File, 0x180, 1000, 7, whole, Chunks: chunks)])],
        };

        var back = SnapshotManifest.FromJson(manifest.ToJson(), "k");

        back.Sources[0].Entries[0].Chunks.Should().Equal(chunks);
        back.Hashes.Should().Equal(chunks.Select(c => c.Sha256));
        back.Bytes.Should().Be(1000);
        System.Text.Encoding.UTF8.GetString(manifest.ToJson()).Should().NotContain("\"hashes\"");
    }

    [Fact]
    public void The_tree_hash_changes_with_content_and_not_with_the_snapshot_id()
    {
        Manifest().Tree.Should().Be((Manifest() with { Id = "other", CreatedAt = DateTimeOffset.UtcNow }).Tree);
        Manifest().Tree.Should().NotBe(Manifest("cd" + new string('0', 62)).Tree);
    }

    [Fact]
    public void A_manifest_from_a_newer_pipeline_is_refused_with_advice()
    {
        var json = (Manifest() with { Format = 99 }).ToJson();

        var read = () => SnapshotManifest.FromJson(json, "snapshots/acme/x.json");

        read.Should().Throw<PipelineException>().WithMessage("*format 99*update Pipeline*");
    }

    [Fact]
    public void Keys_of_the_repository_parse_back()
    {
        var sha = new string('e', 64);
        RepositoryLayout.Object(sha).Should().Be($"objects/ee/{sha}");
        RepositoryLayout.HashOfObject(RepositoryLayout.Object(sha)).Should().Be(sha);
        RepositoryLayout.HashOfObject("objects/ee/short").Should().BeNull();
        RepositoryLayout.SnapshotOfKey("snapshots/acme/20261122T010203Z-abcdef.json").Should().Be(("acme", "20261122T010203Z-abcdef"));
        RepositoryLayout.SnapshotOfKey("locks/backup-x.json").Should().BeNull();
        var id = RepositoryLayout.NewSnapshotId(new DateTimeOffset(2026, 11, 22, 1, 2, 3, 45, TimeSpan.Zero));
        id.Should().StartWith("20261122T010203.045Z-");
        RepositoryLayout.TimeOfSnapshotId(id).Should().Be(new DateTimeOffset(2026, 11, 22, 1, 2, 3, 45, TimeSpan.Zero));
    }

    [Fact]
    public void Metrics_replace_the_sets_of_this_run_and_keep_the_others()
    {
        var existing = "last_backup_timestamp_seconds{set=\"old\"} 5\nlast_backup_timestamp_seconds{set=\"acme\"} 1\n";
        var result = new BackupResult("acme", "id", false, 3, 300, 1, 100, 1, TimeSpan.FromSeconds(2));

        var text = BackupMetrics.Render([result], DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), existing);

        text.Should()
            .Contain(
                "# TYPE last_backup_timestamp_seconds gauge\nlast_backup_timestamp_seconds{set=\"old\"} "
                + "5\nlast_backup_timestamp_seconds{set=\"acme\"} 1800000000\n"
            );
        text.Should()
            .Contain("backup_bytes{set=\"acme\"} 300\n")
            .And.Contain("backup_files{set=\"acme\"} 3\n")
            .And.NotContain("{set=\"acme\"} 1\n");
    }

    [Fact]
    public void Container_sources_are_fetched_and_put_back_with_argv_lists()
    {
        var container = new BackupSource("g", SourceKind.Container, "/var/lib/grafana", Container: "grafana");

        SourceStaging.FetchCommand(container, "/stage/0").Arguments.Should().Be("cp --archive grafana:/var/lib/grafana /stage/0");
        SourceStaging
            .PutBackCommand(container, "/restored", isFile: false)
            .Arguments.Should()
            .Be("cp --archive /restored/. grafana:/var/lib/grafana");
    }
}
