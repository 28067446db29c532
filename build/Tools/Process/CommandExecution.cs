namespace Pipeline.Tools.Process;

/// <summary>Convenience: run a command with <see cref="ProcessRunner.Default"/> or a given runner.</summary>
public static class CommandExecution
{
    public static Task<CommandResult> ExecuteAsync(this Command command, CancellationToken cancellationToken = default) =>
        ProcessRunner.Default.RunAsync(command, cancellationToken);

    public static Task<BufferedCommandResult> ExecuteBufferedAsync(this Command command, CancellationToken cancellationToken = default) =>
        ProcessRunner.Default.RunBufferedAsync(command, cancellationToken);

    public static Task<CommandResult> ExecuteAsync(this Command command, IProcessRunner runner, CancellationToken cancellationToken = default) =>
        runner.RunAsync(command, cancellationToken);

    public static Task<BufferedCommandResult> ExecuteBufferedAsync(this Command command, IProcessRunner runner, CancellationToken cancellationToken = default) =>
        runner.RunBufferedAsync(command, cancellationToken);
}
