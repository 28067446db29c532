namespace Pipeline.Packaging.Building;

/// <summary>The commit a package is built from: its short hash, its time (every mtime in the .deb), and whether the app's inputs differ
/// from it.</summary>
public sealed record SourceRevision(string ShortSha, DateTimeOffset CommitTime, bool Dirty)
{
    /// <summary>Before the first commit: a fixed time, so builds stay reproducible.</summary>
    public static SourceRevision Uncommitted { get; } = new("0000000", DateTimeOffset.FromUnixTimeSeconds(946_684_800), true);
}
