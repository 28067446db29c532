using CliWrap;
using System.Globalization;
using System.Text;

namespace Pipeline.Tools.Process;

/// <summary>A command that ran longer than its timeout (see <see cref="CommandExecution"/>); its whole process tree was killed.</summary>
public sealed class CommandTimeoutException : CommandException
{
    public CommandTimeoutException(Command command, TimeSpan timeout, string standardErrorTail)
        : base(command, exitCode: null, standardErrorTail, BuildMessage(command, timeout, standardErrorTail))
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that was exceeded.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Renders a timeout the way people write it: "500 ms", "30 s", "5 min".</summary>
    public static string Describe(TimeSpan timeout) => timeout switch
    {
        { TotalSeconds: < 1 } => $"{timeout.TotalMilliseconds.ToString("0.##", CultureInfo.InvariantCulture)} ms",
        { TotalMinutes: < 1 } => $"{timeout.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s",
        _ => $"{timeout.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture)} min",
    };

    private static string BuildMessage(Command command, TimeSpan timeout, string standardErrorTail) =>
        new StringBuilder()
            .Append("Command timed out after ").Append(Describe(timeout))
            .Append(" and its process tree was killed: ").Append(command).AppendLine()
            .Append(DescribeContext(command.WorkingDirPath, standardErrorTail))
            .ToString().TrimEnd();
}
