namespace Pipeline.Engine.Logging;

/// <summary>Appends every level to a log file (by default <c>.nuke/temp/build.log</c>).</summary>
internal sealed class FileSink : ILogSink, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    public FileSink(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public void Write(LogEntry entry)
    {
        var target = entry.Target is null ? "" : $"[{entry.Target}] ";
        lock (_gate) _writer.WriteLine($"{entry.Time:O} {entry.Level.ToString()[..3].ToUpperInvariant()} {target}{entry.Message}");
    }

    public void WriteRaw(string text) { lock (_gate) _writer.Write(text); }

    public void Dispose() { lock (_gate) _writer.Dispose(); }
}
