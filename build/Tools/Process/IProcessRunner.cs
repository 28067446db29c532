namespace Pipeline.Tools.Process;

/// <summary>
/// Runs a <see cref="Command"/> to completion. Substitute it to observe or fake processes; the default is
/// <see cref="ProcessRunner.Default"/>.
/// </summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs the command, streaming output lines to its handlers.
    /// Throws <see cref="CommandException"/> when it cannot start or (with <see cref="CommandValidation.ZeroExitCode"/>)
    /// exits non-zero, <see cref="CommandTimeoutException"/> on timeout and <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled; in the last two cases the whole process tree is killed first.
    /// </summary>
    Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken);

    /// <summary>As <see cref="RunAsync"/>, and also collects standard output and standard error as text.</summary>
    Task<BufferedCommandResult> RunBufferedAsync(Command command, CancellationToken cancellationToken);
}
