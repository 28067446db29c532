namespace Pipeline.Engine.Logging;

/// <summary>
/// Appends every level to a log file (by default <c>.nuke/temp/build.log</c>). The file is held exclusively while the
/// build runs, so a nested or concurrent <c>./build.sh</c> in the same repository (the command-line tests that
/// <c>./build.sh Test</c> runs) writes <c>build.1.log</c>, … instead of truncating the log of the build that runs it.
/// </summary>
internal sealed class FileSink : ILogSink, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly object _gate = new();
    private bool _disposed;

    public FileSink(string path)
    {
        try { Directory.CreateDirectory(Path.GetDirectoryName(path)!); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineException($"Cannot write the build log {path}: {e.Message}");
        }
        var stream = OpenExclusive(path);
        for (var n = 1; stream is null && n <= 20; n++)
            stream = OpenExclusive(Path.ChangeExtension(path, $"{n}{Path.GetExtension(path)}"));
        LogPath = stream?.Name ?? throw new PipelineException($"Every log file next to {path} is in use by another build.");
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    /// <summary>The file this run writes.</summary>
    public string LogPath { get; }

    /// <summary>Opens without truncating first, so a file another build holds is left as it is; null when held.</summary>
    private static FileStream? OpenExclusive(string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
            stream.SetLength(0);
            return stream;
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineException($"Cannot write the build log {path}: {e.Message}");
        }
    }

    public void Write(LogEntry entry)
    {
        var target = entry.Target is null ? "" : $"[{entry.Target}] ";
        lock (_gate)
            if (!_disposed) _writer.WriteLine($"{entry.Time:O} {entry.Level.ToString()[..3].ToUpperInvariant()} {target}{entry.Message}");
    }

    /// <summary>Lines arriving after the run ended (a late process-output line) are dropped, not thrown.</summary>
    public void WriteRaw(string text) { lock (_gate) if (!_disposed) _writer.Write(text); }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }
}
