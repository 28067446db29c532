namespace Pipeline.Engine.Logging;

/// <summary>Where masked log lines go: the console, the log file, a test's list.</summary>
public interface ILogSink
{
    void Write(LogEntry entry);
    void BeginTarget(string target) { }
    void EndTarget(string target) { }
    /// <summary>Pre-formatted text (help, plan, summary), already masked.</summary>
    void WriteRaw(string text) { }
    /// <summary>A report drawn for this sink: <c>render(colour)</c>, already masked; plain unless the sink is a terminal.</summary>
    void WriteReport(Func<bool, string> render) => WriteRaw(render(false));
}

public sealed record LogEntry(DateTimeOffset Time, LogLevel Level, string? Target, string Message);
