using Pipeline.Engine.Logging;

namespace Pipeline.Engine;

/// <summary>
/// The build's log. Every line is masked, stamped with the time and the running target, and sent to the
/// session's sinks (console, <c>.nuke/temp/build.log</c>). Static like NUKE's, but scoped to the running build.
/// </summary>
public static class Log
{
    public static void Debug(string message) => Write(LogLevel.Debug, message);
    public static void Information(string message) => Write(LogLevel.Information, message);
    public static void Warning(string message) => Write(LogLevel.Warning, message);
    public static void Error(string message) => Write(LogLevel.Error, message);

    /// <summary>
    /// A line printed as-is after the summary table, for closing lines CI reads (<c>12 passed, 0 failed</c>).
    /// </summary>
    public static void Closing(string line) => BuildSession.Current.ClosingLines.Enqueue(BuildSession.Current.Secrets.Mask(line));

    public static void Write(LogLevel level, string message) => Write(BuildSession.Current, level, message);

    /// <summary>Writes to a given run's sinks, from code that may run outside its async flow (a signal handler).</summary>
    internal static void Write(BuildSession session, LogLevel level, string message)
    {
        var masked = session.Secrets.Mask(message);
        var entry = new LogEntry(DateTimeOffset.Now, level, session.CurrentTarget, masked);
        foreach (var sink in session.Sinks) sink.Write(entry);
    }
}
