namespace Pipeline.Engine.Logging;

/// <summary>Where masked log lines go: the console, the log file, a test's list.</summary>
public interface ILogSink
{
    void Write(LogEntry entry);
    void BeginTarget(string target) { }
    void EndTarget(string target) { }
    /// <summary>Pre-formatted text (help, plan, summary), already masked.</summary>
    void WriteRaw(string text) { }
}

public sealed record LogEntry(DateTimeOffset Time, LogLevel Level, string? Target, string Message);
