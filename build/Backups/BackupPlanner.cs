namespace Pipeline.Backups;

/// <summary>A file of the plan: its hash (and chunks, when it was chunked) when the cache vouches for it, otherwise null
/// (read and hash it).</summary>
public sealed record PlannedFile(ScannedEntry Entry, string? KnownSha256)
{
    public IReadOnlyList<SnapshotChunk>? KnownChunks { get; init; }
}

/// <summary>
/// Decides, from stat data only, which files must be read: a file is trusted unchanged when size, inode,
/// modification and change time all equal the cache's, and it was not modified within
/// <see cref="RacyWindowNs"/> of the moment the cache was written (a write in the same clock tick could hide).
/// </summary>
public static class BackupPlanner
{
    public const long RacyWindowNs = 2_000_000_000;

    public static IReadOnlyList<PlannedFile> Plan(IEnumerable<ScannedEntry> files, HashCache cache) =>
        files
            .Where(f => f.Stat.Type == EntryType.File)
            .Select(f => Trusted(f, cache) is { } c ? new PlannedFile(f, c.Sha256) { KnownChunks = c.Chunks } : new PlannedFile(f, null))
            .ToList();

    private static CachedFile? Trusted(ScannedEntry file, HashCache cache)
    {
        if (!cache.Files.TryGetValue(file.FullPath, out var c)) return null;
        var s = file.Stat;
        if (c.Size != s.Size || c.Inode != s.Inode || c.MTimeNs != s.MTimeNs || c.CTimeNs != s.CTimeNs) return null;
        if (s.MTimeNs >= cache.WrittenAtNs - RacyWindowNs) return null;
        return c;
    }

    /// <summary>The manifest entries of one scanned source, given each file's hash.</summary>
    public static IReadOnlyList<SnapshotEntry> Entries(IEnumerable<ScannedEntry> scanned, IReadOnlyDictionary<string, Hashed> hashes) =>
        scanned
            .Select(e =>
                e.Stat.Type switch
                {
                    EntryType.File => new SnapshotEntry(
                        e.RelativePath,
                        EntryKind.File,
                        e.Stat.Mode,
                        hashes[e.FullPath].Size,
                        e.Stat.MTimeNs,
                        hashes[e.FullPath].Sha256,
                        Chunks: hashes[e.FullPath].Chunks
                    ),
                    EntryType.Directory => new SnapshotEntry(e.RelativePath, EntryKind.Directory, e.Stat.Mode, 0, e.Stat.MTimeNs),
                    _ => new SnapshotEntry(e.RelativePath, EntryKind.Symlink, e.Stat.Mode, 0, e.Stat.MTimeNs, Target: e.LinkTarget),
                }
            )
            .ToList();
}
