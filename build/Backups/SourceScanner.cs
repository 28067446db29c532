namespace Pipeline.Backups;

/// <summary>One entry found under a source: its '/'-separated path from the root ("." for a file source).</summary>
public sealed record ScannedEntry(string RelativePath, string FullPath, FileStat Stat, string? LinkTarget);

/// <summary>Walks a local source (a folder or one file) without following links, skipping excluded paths.</summary>
public static class SourceScanner
{
    public static IReadOnlyList<ScannedEntry> Scan(string root, ExcludeFilter excludes)
    {
        FileStat rootStat;
        try
        {
            rootStat = FileStat.Of(root);
        }
        catch (FileNotFoundException)
        {
            throw new Engine.PipelineException($"Backup source {root} does not exist (create it, or fix the set's sources).");
        }
        if (rootStat.Type != EntryType.Directory)
            return rootStat.Type == EntryType.File ? [new ScannedEntry(".", root, rootStat, null)]
                : throw new Engine.PipelineException($"Backup source {root} is neither a file nor a folder.");

        var entries = new List<ScannedEntry>();
        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((root, ""));
        while (pending.Count > 0)
        {
            var (dir, relativeDir) = pending.Pop();
            foreach (var full in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
            {
                var relative = relativeDir.Length == 0 ? Path.GetFileName(full) : $"{relativeDir}/{Path.GetFileName(full)}";
                if (excludes.IsExcluded(relative)) continue;
                FileStat stat;
                try { stat = FileStat.Of(full); }
                catch (FileNotFoundException) { continue; } // removed while scanning
                switch (stat.Type)
                {
                    case EntryType.Directory:
                        entries.Add(new ScannedEntry(relative, full, stat, null));
                        pending.Push((full, relative));
                        break;
                    case EntryType.File:
                        entries.Add(new ScannedEntry(relative, full, stat, null));
                        break;
                    case EntryType.Symlink:
                        entries.Add(new ScannedEntry(relative, full, stat, new FileInfo(full).LinkTarget));
                        break;
                    default:
                        break; // sockets, fifos, devices: not content
                }
            }
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return entries;
    }
}
