namespace Pipeline.Engine.Logging;

/// <summary>Appends every level to a log file (by default <c>.nuke/temp/build.log</c>).</summary>
internal sealed class FileSink : ILogSink, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly object _gate = new();
    private bool _disposed;

    public FileSink(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
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
