using Pipeline.Tools.Process;

namespace Pipeline.Engine;

/// <summary>Streams a command's output into the build log, line by line (and so masked).</summary>
public static class CommandLogging
{
    public static Command WithLog(this Command command, LogLevel output = LogLevel.Information, LogLevel errors = LogLevel.Warning) =>
        command
            .WithStandardOutputHandler(line => Log.Write(output, line))
            .WithStandardErrorHandler(line => Log.Write(errors, line));
}
