namespace Pipeline.Backups;

/// <summary>For Restore --dry-run: how a snapshot's source differs from what is at the target now (by size and time).</summary>
public static class RestorePreview
{
    public static string Describe(SnapshotSource source, string target)
    {
        var files = source.Entries.Where(e => e.Type == EntryKind.File).ToList();
        if (!File.Exists(target) && !Directory.Exists(target))
            return $"{files.Count} files, {files.Sum(f => f.Size):N0} bytes, into a new {(source.IsFile ? "file" : "folder")}";
        var current = SourceScanner
            .Scan(target, ExcludeFilter.None)
            .Where(e => e.Stat.Type == EntryType.File)
            .ToDictionary(e => e.RelativePath);
        int same = 0, changed = 0, added = 0;
        foreach (var f in files)
        {
            if (!current.Remove(f.Path, out var now)) added++;
            else if (now.Stat.Size == f.Size && now.Stat.MTimeNs == f.MTimeNs) same++;
            else changed++;
        }
        return $"{changed} files replaced, {added} added, {current.Count} removed, {same} unchanged (nothing is changed: dry run)";
    }
}
