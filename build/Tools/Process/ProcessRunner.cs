using System.Diagnostics;

namespace Pipeline.Tools.Process;

/// <summary>
/// The real <see cref="IProcessRunner"/>: starts the target with an argv list (never a shell), pipes all three
/// streams, reads stdout and stderr concurrently (so large output cannot deadlock), and on timeout or cancellation
/// kills the whole process tree before throwing.
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    /// <summary>The instance behind <see cref="CommandExecution.ExecuteAsync(Command, CancellationToken)"/>.</summary>
    public static ProcessRunner Default { get; } = new();

    /// <summary>
    /// How long to keep reading output after the process has exited. Output still open after that belongs to a
    /// descendant that outlived the process (a daemon that kept the pipe); it is abandoned rather than waited for.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken)
    {
        var run = await RunCoreAsync(command, keepText: false, cancellationToken).ConfigureAwait(false);
        return new CommandResult(run.ExitCode, run.StartTime, run.ExitTime, run.Duration);
    }

    public async Task<BufferedCommandResult> RunBufferedAsync(Command command, CancellationToken cancellationToken)
    {
        var run = await RunCoreAsync(command, keepText: true, cancellationToken).ConfigureAwait(false);
        return new BufferedCommandResult(run.ExitCode, run.StartTime, run.ExitTime, run.Duration,
            run.StandardOutput.Text(), run.StandardError.Text());
    }

    private sealed record Run(int ExitCode, DateTimeOffset StartTime, DateTimeOffset ExitTime, TimeSpan Duration,
        OutputPump StandardOutput, OutputPump StandardError);

    private async Task<Run> RunCoreAsync(Command command, bool keepText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();

        var workingDirectory = StartInfoFactory.ResolveWorkingDirectory(command);
        using var process = new System.Diagnostics.Process { StartInfo = StartInfoFactory.Create(command, workingDirectory) };
        var handlerGate = new object();
        var stdout = new OutputPump(command.StandardOutputHandler, handlerGate, keepText, tailSize: 0);
        var stderr = new OutputPump(command.StandardErrorHandler, handlerGate, keepText, CommandException.TailLines);

        ProcessStarter.Start(process, command, workingDirectory);
        var startTime = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        var exited = false;
        try
        {
            var streams = Task.WhenAll(
                stdout.RunAsync(process.StandardOutput),
                stderr.RunAsync(process.StandardError),
                StandardInputWriter.WriteAsync(process.StandardInput, command.StandardInput, command.StandardInputFile));

            var killed = await WaitOrKillAsync(process, command.Timeout, cancellationToken).ConfigureAwait(false);
            exited = true;
            var exitTime = DateTimeOffset.Now;
            var duration = clock.Elapsed;
            await DrainAsync(streams).ConfigureAwait(false);

            if (killed)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new CommandTimeoutException(command, command.Timeout!.Value, workingDirectory, stderr.Tail());
            }

            stdout.ThrowIfHandlerFailed();
            stderr.ThrowIfHandlerFailed();
            var exitCode = process.ExitCode;
            if (exitCode != 0 && command.Validation == CommandValidation.ZeroExitCode)
                throw CommandException.NonZeroExitCode(command, workingDirectory, exitCode, stderr.Tail());

            return new Run(exitCode, startTime, exitTime, duration, stdout, stderr);
        }
        finally
        {
            if (!exited)
                ProcessTree.Kill(process);
        }
    }

    /// <summary>Waits for the process to exit; on timeout or cancellation kills its tree and returns true.</summary>
    private static async Task<bool> WaitOrKillAsync(System.Diagnostics.Process process, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } after)
            limit.CancelAfter(after);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            ProcessTree.Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
    }

    private async Task DrainAsync(Task streams)
    {
        var first = await Task.WhenAny(streams, Task.Delay(DrainTimeout)).ConfigureAwait(false);
        if (first == streams)
        {
            await streams.ConfigureAwait(false);
            return;
        }

        // A descendant still holds the pipes open; stop waiting, but observe whatever the readers end with.
        _ = streams.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
