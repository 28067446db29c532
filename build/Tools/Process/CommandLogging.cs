using CliWrap;
using Pipeline.Engine;

namespace Pipeline.Tools.Process;

/// <summary>Streams a command's output into the build log, line by line (and so masked).</summary>
public static class CommandLogging
{
    public static Command WithLog(this Command command, LogLevel output = LogLevel.Information, LogLevel errors = LogLevel.Warning) =>
        command
            .WithStandardOutputPipe(ProcessText.Lines(line => Log.Write(output, line)))
            .WithStandardErrorPipe(ProcessText.Lines(line => Log.Write(errors, line)));
}
