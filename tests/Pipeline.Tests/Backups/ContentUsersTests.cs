using FluentAssertions;
using Pipeline.Backups;
using Xunit;

namespace Pipeline.Tests.Backups;

public class ContentUsersTests
{
    private static SnapshotManifest Snapshot(string id, params (string Path, string Sha)[] files) =>
        new(
            SnapshotManifest.CurrentFormat,
            id,
            "data",
            DateTimeOffset.UnixEpoch,
            "host",
            [
                new SnapshotSource(
                    "/srv/data",
                    SourceKind.Local,
                    "/srv/data",
                    false,
                    files.Select(f => new SnapshotEntry(f.Path, EntryKind.File, 420, 10, 0, f.Sha)).ToList()
                ),
            ]
        );

    [Fact]
    public void A_content_is_described_by_the_files_and_snapshots_that_use_it_each_counted_once()
    {
        var users = new ContentUsers();
        users.Add(Snapshot("s1", ("a.txt", "aa"), ("copy-of-a.txt", "aa"), ("b.txt", "bb")));
        users.Add(Snapshot("s2", ("a.txt", "aa")));

        users.Of("aa").Should().Be("used by /srv/data/a.txt, /srv/data/copy-of-a.txt in 2 snapshots: data s1, data s2");
        users.Of("bb").Should().Be("used by /srv/data/b.txt in snapshot data s1");
        users.Of("cc").Should().Be("used by no snapshot");
        users.Count.Should().Be(2);
    }

    [Fact]
    public void Past_three_files_or_snapshots_the_rest_are_counted_not_listed()
    {
        var users = new ContentUsers();
        for (var i = 1; i <= 5; i++) users.Add(Snapshot($"s{i}", ($"f{i}.txt", "aa")));

        users
            .Of("aa")
            .Should()
            .Be(
                "used by /srv/data/f1.txt, /srv/data/f2.txt, /srv/data/f3.txt and other files in 5 snapshots: data s1, data s2, data s3 "
                + "and 2 more"
            );
    }
}
