using Pipeline.Engine.Graph;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pipeline.Engine;

/// <summary>
/// Runs a plan in order. A failure stops the plan (unless the target proceeds after failure); assured targets
/// still run after a failure, Ctrl-C or SIGTERM; cancellation reaches the running target through its token.
/// </summary>
internal sealed class BuildExecutor(BuildHostOptions options, BuildSession session)
{
    private readonly CancellationTokenSource _run = CancellationTokenSource.CreateLinkedTokenSource(options.Interrupt);
    private readonly CancellationTokenSource _assured = new();
    private volatile bool _interrupted;
    private int? _failureExitCode;

    public async Task<int> ExecuteAsync(IReadOnlyList<ExecutableTarget> plan)
    {
        using var interruptRegistration = options.Interrupt.Register(OnInterrupt);
        var signals = options.HandleSignals ? RegisterSignals() : [];
        try
        {
            var stopped = false;
            foreach (var target in plan)
            {
                if (target.Status == TargetStatus.Skipped)
                {
                    Log.Information($"Skipping {target.Name}: {target.Reason}");
                    continue;
                }
                if ((stopped || _interrupted) && !target.IsAssured)
                {
                    NotRun(target, _interrupted ? "interrupted" : "an earlier target failed");
                    continue;
                }
                // A dependency, or the target that triggered this one, did not succeed (it proceeded after failure).
                var brokenDependency = target.Dependencies.Concat(plan.Where(t => t.Triggered.Contains(target))).FirstOrDefault(d =>
                    plan.Contains(d) && d.Status is TargetStatus.Failed or TargetStatus.NotRun or TargetStatus.Aborted);
                if (brokenDependency is not null && !target.IsAssured)
                {
                    NotRun(target, $"{brokenDependency.Name} did not succeed");
                    continue;
                }
                await RunAsync(target);
                if (target.Status == TargetStatus.Failed && !target.ProceedsAfterFailure) stopped = true;
            }
        }
        finally
        {
            foreach (var s in signals) s.Dispose();
        }

        if (_interrupted) return ExitCodes.Interrupted;
        // The first failure decides: a UsageException (bad definition file, bad argument) thrown by a target exits 2.
        return plan.Any(t => t.Status is TargetStatus.Failed or TargetStatus.Aborted)
            ? _failureExitCode ?? ExitCodes.Failure
            : ExitCodes.Success;
    }

    private async Task RunAsync(ExecutableTarget target)
    {
        session.CurrentTarget = target.Name;
        try
        {
            // Decided right before the target would run; a condition that throws fails the target, not the build host.
            var failedCondition = target.Definition.DynamicConditions.FirstOrDefault(c => !c.Compile()());
            if (failedCondition is not null)
            {
                target.Status = TargetStatus.Skipped;
                target.Reason = $"condition false: {ExpressionText.Of(failedCondition)}";
                Log.Information($"Skipping {target.Name}: {target.Reason}");
                session.CurrentTarget = null;
                return;
            }
        }
        catch (Exception e)
        {
            Fail(target, e);
            session.CurrentTarget = null;
            return;
        }

        foreach (var sink in session.Sinks) sink.BeginTarget(target.Name);
        var watch = Stopwatch.StartNew();
        var token = _interrupted ? _assured.Token : _run.Token;
        try
        {
            ToolCheck.ThrowIfMissing(target);
            foreach (var action in target.Definition.Actions)
            {
                token.ThrowIfCancellationRequested();
                await action(token);
            }
            target.Status = TargetStatus.Succeeded;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            target.Status = TargetStatus.Aborted;
            target.Reason = "interrupted";
            Log.Error($"{target.Name} was interrupted.");
        }
        catch (Exception e)
        {
            Fail(target, e);
        }
        finally
        {
            target.Duration = watch.Elapsed;
            foreach (var sink in session.Sinks) sink.EndTarget(target.Name);
            session.CurrentTarget = null;
        }
    }

    private void Fail(ExecutableTarget target, Exception e)
    {
        target.Status = TargetStatus.Failed;
        target.Reason = FirstLine(e.Message);
        _failureExitCode ??= e is PipelineException p ? p.ExitCode : ExitCodes.Failure;
        Log.Error(e is PipelineException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        Log.Debug(e.ToString());
    }

    private static void NotRun(ExecutableTarget target, string reason)
    {
        target.Status = TargetStatus.NotRun;
        target.Reason = reason;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();

    private void OnInterrupt()
    {
        if (_interrupted)
        {
            _assured.Cancel(); // a second signal also stops the clean-up
            return;
        }
        _interrupted = true;
        Log.Write(
            session,
            LogLevel.Warning,
            "Interrupted: stopping the running target; clean-up targets still run (interrupt again to stop them)."
        );
        _run.Cancel();
    }

    private List<PosixSignalRegistration> RegisterSignals()
    {
        void Handler(PosixSignalContext context)
        {
            context.Cancel = true;
            OnInterrupt();
        }
        return [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handler), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handler)];
    }
}
