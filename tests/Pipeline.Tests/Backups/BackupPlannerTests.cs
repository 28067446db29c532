using FluentAssertions;
using Pipeline.Backups;
using Xunit;

namespace Pipeline.Tests.Backups;

public sealed class BackupPlannerTests
{
    private const long Hour = 3_600_000_000_000;
    private static readonly long CacheWritten = 100 * Hour;

    private static ScannedEntry File(string path, long size = 10, ulong inode = 1, long mtime = 50 * Hour, long ctime = 50 * Hour) =>
        new(path, "/src/" + path, new FileStat(EntryType.File, 0x1a4, size, inode, mtime, ctime), null);

    private static HashCache Cache(params (string Path, CachedFile File)[] files) =>
        new(files.ToDictionary(f => "/src/" + f.Path, f => f.File), CacheWritten, "snap", "tree");

    [Fact]
    public void A_file_whose_size_inode_and_times_match_the_cache_is_trusted_without_reading()
    {
        var plan = BackupPlanner.Plan([File("a")], Cache(("a", new CachedFile(10, 1, 50 * Hour, 50 * Hour, "abc"))));

        plan.Single().KnownSha256.Should().Be("abc");
    }

    [Fact]
    public void A_trusted_chunked_file_comes_with_its_chunks_and_its_entry_lists_them()
    {
        SnapshotChunk[] chunks = [new("c1", 6), new("c2", 4)];
        var file = File("a");
        var plan = BackupPlanner.Plan([file], Cache(("a", new CachedFile(10, 1, 50 * Hour, 50 * Hour, "abc", chunks))));

        var entries = BackupPlanner.Entries([file], new Dictionary<string, Hashed> { ["/src/a"] = new("abc", 10, chunks) });

        plan.Single().KnownChunks.Should().Equal(chunks);
        entries.Single().Chunks.Should().Equal(chunks);
        entries.Single().Sha256.Should().Be("abc");
    }

    [Theory]
    [InlineData(11, 1ul, 50L, 50L)] // size
    [InlineData(10, 2ul, 50L, 50L)] // inode (replaced by a rename)
    [InlineData(10, 1ul, 51L, 50L)] // modification time
    [InlineData(10, 1ul, 50L, 51L)] // change time (e.g. touched back)
    public void Any_difference_in_stat_data_means_the_file_is_read_again(long size, ulong inode, long mtimeHours, long ctimeHours)
    {
        var plan = BackupPlanner.Plan(
            [File("a", size, inode, mtimeHours * Hour, ctimeHours * Hour)],
            Cache(("a", new CachedFile(10, 1, 50 * Hour, 50 * Hour, "abc")))
        );

        plan.Single().KnownSha256.Should().BeNull();
    }

    [Fact]
    public void A_file_modified_just_before_the_cache_was_written_is_in_doubt_and_hashed()
    {
        var racy = CacheWritten - 1_000_000_000;
        var plan = BackupPlanner.Plan([File("a", mtime: racy, ctime: racy)], Cache(("a", new CachedFile(10, 1, racy, racy, "abc"))));

        plan.Single().KnownSha256.Should().BeNull();
    }

    [Fact]
    public void Files_missing_from_the_cache_are_read_and_folders_are_not_planned()
    {
        var folder = new ScannedEntry("d", "/src/d", new FileStat(EntryType.Directory, 0x1ed, 0, 3, 0, 0), null);

        var plan = BackupPlanner.Plan([folder, File("d/new")], HashCache.Empty);

        plan.Should().ContainSingle().Which.Should().Match<PlannedFile>(p => p.Entry.RelativePath == "d/new" && p.KnownSha256 == null);
    }
}
