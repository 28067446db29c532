namespace Pipeline.Engine;

/// <summary>Writes a file so that readers see the old content or the new, never a part: a temporary file beside it, then a
/// rename.</summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():n}";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Copies a file in atomically (a hard link would share the inode with a file that may be replaced later).</summary>
    public static void Copy(string source, string destination) => Write(destination, File.ReadAllBytes(source));

    /// <summary>Whether a file still is what a record written after it describes (a state file, an index): the length the
    /// record states, and not written since the record was, make's rule. False sends the caller to hash the file.</summary>
    public static bool UnchangedSince(string path, long? length, DateTime recordWrittenUtc)
    {
        var file = new FileInfo(path);
        return file.Exists && file.Length == length && file.LastWriteTimeUtc < recordWrittenUtc;
    }
}
