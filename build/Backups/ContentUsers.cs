namespace Pipeline.Backups;

/// <summary>
/// Which snapshots and which files use each content, so a damaged or missing stored content can be named with what
/// it breaks. Keeps a few of each per content (and how many snapshots in all), not every use: a repository has many
/// snapshots of the same files.
/// </summary>
public sealed class ContentUsers
{
    private const int Shown = 3;
    private readonly Dictionary<string, Uses> _uses = new(StringComparer.Ordinal);

    private sealed class Uses
    {
        public readonly List<string> Files = [];
        public bool MoreFiles;
        public readonly List<string> Snapshots = [];
        public int SnapshotCount;
        public string? LastSnapshot;
        public long Size;
    }

    public int Count => _uses.Count;
    public IEnumerable<string> Contents => _uses.Keys;
    public long Bytes => _uses.Values.Sum(u => u.Size);

    /// <summary>Records every file of <paramref name="manifest"/>, as each of its stored contents (its chunks, or itself)
    /// (call once per snapshot).</summary>
    public void Add(SnapshotManifest manifest)
    {
        var snapshot = $"{manifest.Set} {manifest.Id}";
        foreach (var source in manifest.Sources)
            foreach (var e in source.Entries)
                foreach (var stored in e.StoredContents())
                {
                    if (!_uses.TryGetValue(stored.Sha256, out var uses)) _uses[stored.Sha256] = uses = new Uses();
                    uses.Size = stored.Size;
                    var file = Describe(source, e);
                    if (!uses.Files.Contains(file, StringComparer.Ordinal))
                    {
                        if (uses.Files.Count < Shown) uses.Files.Add(file);
                        else uses.MoreFiles = true;
                    }
                    if (uses.LastSnapshot == snapshot) continue;
                    uses.SnapshotCount++;
                    uses.LastSnapshot = snapshot;
                    if (uses.Snapshots.Count < Shown) uses.Snapshots.Add(snapshot);
                }
    }

    /// <summary>A file as restore names it: its source, then its path in the source (the source alone for a single file).</summary>
    public static string Describe(SnapshotSource source, SnapshotEntry entry) =>
        source.IsFile ? source.Name : $"{source.Name}/{entry.Path}";

    /// <summary><c>used by data/bad.txt in snapshot data 20261204T…-a1b2c3</c> (and how many more, when there are).</summary>
    public string Of(string sha256)
    {
        if (!_uses.TryGetValue(sha256, out var uses)) return "used by no snapshot";
        var files = string.Join(", ", uses.Files) + (uses.MoreFiles ? " and other files" : "");
        var snapshots =
            uses.SnapshotCount == 1
                ? $"snapshot {uses.Snapshots[0]}"
                : $"{uses.SnapshotCount} snapshots: "
                    + $"{string.Join(", ", uses.Snapshots)}{(uses.SnapshotCount > uses.Snapshots.Count ? $" and {uses.SnapshotCount - uses.Snapshots.Count} more" : "")}";
        return $"used by {files} in {snapshots}";
    }
}
