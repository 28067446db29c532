namespace Pipeline.Engine.Logging;

/// <summary>Writes lines with time, level and target; ANSI colour only on a terminal; GitHub Actions groups per target.</summary>
internal sealed class ConsoleSink(TextWriter output, Verbosity verbosity, bool colour, bool githubActions) : ILogSink
{
    private readonly object _gate = new();

    public void Write(LogEntry entry)
    {
        if (!Shows(entry.Level)) return;
        var (tag, code) = entry.Level switch
        {
            LogLevel.Debug => ("DBG", "90"),
            LogLevel.Information => ("INF", "0"),
            LogLevel.Warning => ("WRN", "33"),
            _ => ("ERR", "31"),
        };
        var target = entry.Target is null ? "" : $"[{entry.Target}] ";
        var line = $"{entry.Time.ToLocalTime():HH:mm:ss} {tag} {target}{entry.Message}";
        lock (_gate)
        {
            if (githubActions && entry.Level == LogLevel.Error) output.WriteLine($"::error::{Escape(entry.Message)}");
            else if (colour && code != "0") output.WriteLine($"\u001b[{code}m{line}\u001b[0m");
            else output.WriteLine(line);
            output.Flush();
        }
    }

    public void BeginTarget(string target)
    {
        lock (_gate)
        {
            if (githubActions) output.WriteLine($"::group::{target}");
            else if (verbosity >= Verbosity.Normal)
                output.WriteLine(colour ? $"\u001b[1;36m── {target} ──\u001b[0m" : $"── {target} ──");
            output.Flush();
        }
    }

    public void EndTarget(string target)
    {
        if (!githubActions) return;
        lock (_gate) { output.WriteLine("::endgroup::"); output.Flush(); }
    }

    public void WriteRaw(string text)
    {
        lock (_gate) { output.Write(text); output.Flush(); }
    }

    public void WriteReport(Func<bool, string> render) => WriteRaw(render(colour && !githubActions));

    /// <summary>A workflow command is one line: GitHub reads %0A as a line break inside the annotation.</summary>
    private static string Escape(string message) =>
        message.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private bool Shows(LogLevel level) => verbosity switch
    {
        Verbosity.Quiet => level >= LogLevel.Error,
        Verbosity.Minimal => level >= LogLevel.Warning,
        Verbosity.Normal => level >= LogLevel.Information,
        _ => true,
    };
}
