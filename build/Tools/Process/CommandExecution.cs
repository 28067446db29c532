using CliWrap;
using CliWrap.Buffered;
using CliWrap.Exceptions;
using System.ComponentModel;

namespace Pipeline.Tools.Process;

/// <summary>
/// Runs a CliWrap <see cref="Command"/> the way Pipeline needs: an optional timeout, and every failure as one
/// <see cref="CommandException"/> (command, working directory, exit code, stderr tail) under
/// <see cref="Engine.PipelineException"/> instead of CliWrap's own exceptions. Arguments stay an argv list (never a
/// shell). On cancellation or timeout CliWrap kills the whole process tree (<c>Process.Kill(entireProcessTree: true)</c>)
/// before this throws. Use these instead of CliWrap's <c>ExecuteAsync</c>/<c>ExecuteBufferedAsync</c>, which the
/// build bans (BannedSymbols.txt) everywhere but here.
/// </summary>
public static class CommandExecution
{
    /// <summary>Runs the command, its output going to its pipes (see <c>WithLog()</c>).</summary>
    public static Task<CommandResult> RunAsync(this Command command, CancellationToken ct = default) =>
        RunAsync(command, timeout: null, ct);

    /// <summary>
    /// As <see cref="RunAsync(Command, CancellationToken)"/>; after <paramref name="timeout"/> the whole process tree is
    /// killed and <see cref="CommandTimeoutException"/> thrown.
    /// </summary>
    public static Task<CommandResult> RunAsync(this Command command, TimeSpan? timeout, CancellationToken ct = default) =>
#pragma warning disable RS0030 // the one place that runs CliWrap's ExecuteAsync
        RunCoreAsync<CommandResult>(command, timeout, static (run, token) => run.ExecuteAsync(token), ct);
#pragma warning restore RS0030

    /// <summary>Runs the command and also collects standard output and standard error as text (UTF-8).</summary>
    public static Task<BufferedCommandResult> RunBufferedAsync(this Command command, CancellationToken ct = default) =>
        RunBufferedAsync(command, timeout: null, ct);

    /// <summary>As <see cref="RunBufferedAsync(Command, CancellationToken)"/>, with a timeout.</summary>
    public static Task<BufferedCommandResult> RunBufferedAsync(this Command command, TimeSpan? timeout, CancellationToken ct = default) =>
#pragma warning disable RS0030 // the one place that runs CliWrap's ExecuteBufferedAsync
        RunCoreAsync<BufferedCommandResult>(command, timeout, static (run, token) => run.ExecuteBufferedAsync(ProcessText.Utf8, token), ct);
#pragma warning restore RS0030

    private static async Task<T> RunCoreAsync<T>(Command command, TimeSpan? timeout,
        Func<Command, CancellationToken, Task<T>> execute, CancellationToken ct) where T : CommandResult
    {
        ArgumentNullException.ThrowIfNull(command);
        if (timeout is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout must be positive.");
        ct.ThrowIfCancellationRequested();
        if (!Directory.Exists(command.WorkingDirPath))
            throw CommandException.NotStarted(command, $"the working directory '{command.WorkingDirPath}' does not exist.", null);

        // CliWrap judges nothing here: the exit code is judged below, with the stderr tail in the message.
        var tail = new StandardErrorTail(CommandException.TailLines);
        var run = command.WithValidation(CommandResultValidation.None)
            .WithStandardErrorPipe(PipeTarget.Merge(command.StandardErrorPipe, tail.Target));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } after)
            limit.CancelAfter(after);
        T result;
        try
        {
            result = await execute(run, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (limit.IsCancellationRequested)
        {
            if (ct.IsCancellationRequested)
                throw new OperationCanceledException($"Cancelled; the process tree was killed: {command}", exception, ct);
            throw new CommandTimeoutException(command, timeout!.Value, tail.Text);
        }
        catch (Win32Exception exception)
        {
            throw CommandException.NotStarted(command, StartFailure.Explain(command.TargetFilePath, exception), exception);
        }
        catch (CommandExecutionException exception)
        {
            // Only from a command piped into this one (PipeSource.FromCommand), which CliWrap validates itself.
            throw CommandException.NonZeroExitCode(exception.Command as Command ?? command, exception.ExitCode, tail.Text);
        }

        if (result.ExitCode != 0 && command.Validation.HasFlag(CommandResultValidation.ZeroExitCode))
            throw CommandException.NonZeroExitCode(command, result.ExitCode, tail.Text);
        return result;
    }
}
