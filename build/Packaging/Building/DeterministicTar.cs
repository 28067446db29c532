using System.Formats.Tar;

namespace Pipeline.Packaging.Building;

/// <summary>
/// A ustar archive of files and every directory above them: entries sorted by path, each stamped with the
/// same time, owner root:root (0/0), fixed modes, then gzip-compressed. Same input, same bytes.
/// </summary>
public static class DeterministicTar
{
    public const int DirectoryMode = PackageFile.Executable;

    public static byte[] CreateGzipped(IEnumerable<PackageFile> files, DateTimeOffset time)
    {
        var list = files.ToList();
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, file) in Entries(list))
            {
                var entry = new UstarTarEntry(file is null ? TarEntryType.Directory : TarEntryType.RegularFile, path)
                {
                    ModificationTime = time,
                    Mode = (UnixFileMode)(file?.Mode ?? DirectoryMode),
                    Uid = 0,
                    Gid = 0,
                    UserName = "root",
                    GroupName = "root",
                };
                if (file is not null) entry.DataStream = new MemoryStream(file.Content, writable: false);
                writer.WriteEntry(entry);
            }
        }
        return DeterministicGzip.Compress(tar.GetBuffer().AsSpan(0, (int)tar.Length));
    }

    /// <summary>"./" first, then directories and files in ordinal order of their archive paths (a directory sorts before its
    /// contents).</summary>
    public static IEnumerable<(string Path, PackageFile? File)> Entries(IReadOnlyList<PackageFile> files)
    {
        var duplicate = files.GroupBy(f => f.Path).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"{duplicate.Key} is in the package twice", nameof(files));

        var entries = new SortedDictionary<string, PackageFile?>(StringComparer.Ordinal) { ["./"] = null };
        foreach (var file in files)
        {
            var directory = Path.GetDirectoryName(file.Path);
            while (!string.IsNullOrEmpty(directory) && directory != "/")
            {
                entries["." + directory + "/"] = null;
                directory = Path.GetDirectoryName(directory);
            }
            entries[file.ArchivePath] = file;
        }
        return entries.Select(pair => (pair.Key, pair.Value));
    }
}
