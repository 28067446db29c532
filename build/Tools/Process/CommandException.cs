using CliWrap;
using Pipeline.Engine;
using System.Text;

namespace Pipeline.Tools.Process;

/// <summary>
/// A command that could not be started or that exited with a non-zero code. <see cref="Exception.Message"/>
/// is one readable block: the command line, the working directory, the exit code and the tail of stderr.
/// Raised by <see cref="CommandExecution"/> in place of CliWrap's own exceptions, so that every process failure
/// is a <see cref="PipelineException"/>.
/// </summary>
public class CommandException : PipelineException
{
    /// <summary>How many trailing lines of standard error a failure message carries.</summary>
    public const int TailLines = 20;

    public CommandException(Command command, int? exitCode, string standardErrorTail, string message, Exception? inner = null)
        : base(message, inner)
    {
        Command = command;
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail;
    }

    /// <summary>The command that failed.</summary>
    public Command Command { get; }

    /// <summary>
    /// The process's exit code; null when it never started or never exited on its own (timeout).
    /// This hides <see cref="PipelineException.ExitCode"/>, which (seen through the base type) stays the
    /// exit code Pipeline itself maps this error to.
    /// </summary>
    public new int? ExitCode { get; }

    /// <summary>The last <see cref="TailLines"/> lines of standard error, joined with '\n'; empty if none.</summary>
    public string StandardErrorTail { get; }

    /// <summary>Builds the exception for a process that exited with a non-zero code.</summary>
    public static CommandException NonZeroExitCode(Command command, int exitCode, string standardErrorTail)
    {
        var message = new StringBuilder()
            .Append("Command exited with code ").Append(exitCode).Append(": ").Append(command).AppendLine()
            .Append(DescribeContext(command.WorkingDirPath, standardErrorTail));
        return new CommandException(command, exitCode, standardErrorTail, message.ToString().TrimEnd());
    }

    /// <summary>Builds the exception for a process that could not be started, saying why.</summary>
    public static CommandException NotStarted(Command command, string reason, Exception? inner) =>
        new(command, exitCode: null, standardErrorTail: "",
            $"Command could not be started: {reason}" + Environment.NewLine +
            $"  Command: {command}" + Environment.NewLine +
            $"  Working directory: {command.WorkingDirPath}",
            inner);

    /// <summary>The lines after the headline: working directory and stderr tail, indented.</summary>
    internal static string DescribeContext(string workingDirectory, string standardErrorTail)
    {
        var builder = new StringBuilder()
            .Append("  Working directory: ").Append(workingDirectory).AppendLine();
        if (standardErrorTail.Length == 0)
        {
            builder.Append("  Standard error: (empty)").AppendLine();
            return builder.ToString();
        }

        builder.Append("  Standard error (last ").Append(TailLines).Append(" lines):").AppendLine();
        foreach (var line in standardErrorTail.Split('\n'))
            builder.Append("    ").Append(line).AppendLine();
        return builder.ToString();
    }
}
