using Pipeline.Server.Access;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Server.Jobs;

/// <summary>
/// Runs queued jobs oldest first, at most one per environment at a time, each as a child <c>./build.sh</c> (the <c>local</c>
/// executor) or as a run of the generated workflow on GitHub's runners (<c>github-actions</c>, <see cref="GitHubActionsExecutor"/>).
/// Cancelling sends SIGTERM, so the build's clean-up targets still run; after the grace period the process tree is killed (a
/// GitHub run is cancelled through the API). Started again after a crash, it marks the jobs that were running as interrupted and
/// stops their orphans.
/// </summary>
public sealed class JobRunner(JobStore store, JobLog log, AuditLog audit, ServerOptions options, ILogger<JobRunner> logger)
    : BackgroundService
{
    private sealed record Running(Job Job, Process? Process, Task Completion, CancellationTokenSource? Cancel = null);

    private readonly ConcurrentDictionary<string, Running> _running = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _stopping;

    public void Wake() => _wake.Release();

    /// <summary>Jobs left <c>Running</c> by a server that stopped: their end is unknown, so they are marked interrupted, and a
    /// build still running for one of them gets SIGTERM.</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        foreach (var job in await store.ByStatusAsync(JobStatus.Running, ct))
        {
            if (job.Pid is { } pid && Signals.IsJobProcess(pid, job.Id)) Signals.Terminate(pid);
            log.Append(job.Id, "The server stopped while this job ran: marked interrupted (run it again to finish it).");
            await store.MarkFinishedAsync(job.Id, JobStatus.Interrupted, null, ct);
            await audit.WriteAsync("server", "job.interrupted", $"jobs/{job.Id}", 0,
                $"{job.Environment}: {string.Join(' ', job.Targets)}", ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartWaitingJobsAsync(stoppingToken);
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                logger.LogError(e, "The job queue could not be read; trying again in a second.");
                await Task.Delay(1000, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task StartWaitingJobsAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            foreach (var job in await store.ByStatusAsync(JobStatus.Queued, ct))
                if (!_running.Values.Any(r => r.Job.Environment == job.Environment)) await StartAsync(job, ct);
        }
        finally { _gate.Release(); }
    }

    private async Task StartAsync(Job job, CancellationToken ct)
    {
        if (options.Executor == "github-actions")
        {
            await StartOnGitHubAsync(job, ct);
            return;
        }
        var start = new ProcessStartInfo(options.BuildScript)
        {
            WorkingDirectory = options.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in JobCommand.Arguments(job)) start.ArgumentList.Add(argument);
        start.Environment[JobCommand.JobIdVariable] = job.Id;
        log.Append(job.Id, $"$ ./build.sh {string.Join(' ', JobCommand.Arguments(job))}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) log.Append(job.Id, line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) log.Append(job.Id, line); };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.Append(job.Id, $"The build could not start ({options.BuildScript}): {e.Message}");
            await store.MarkFinishedAsync(job.Id, JobStatus.Failed, null, ct);
            return;
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await store.MarkRunningAsync(job.Id, process.Id, ct);
        await audit.WriteAsync(job.RequestedBy, "job.started", $"jobs/{job.Id}", 0, $"pid {process.Id}", ct);
        _running[job.Id] = new Running(job, process, Task.Run(() => CompleteAsync(job, process)));
    }

    private async Task StartOnGitHubAsync(Job job, CancellationToken ct)
    {
        var token = Environment.GetEnvironmentVariable(options.Actions.TokenVariable) ?? "";
        var cancel = new CancellationTokenSource();
        await store.MarkRunningAsync(job.Id, null, ct);
        await audit.WriteAsync(job.RequestedBy, "job.started", $"jobs/{job.Id}", 0, $"github-actions {options.Actions.Repository}", ct);
        _running[job.Id] = new Running(job, null, Task.Run(async () =>
        {
            (JobStatus Status, int? Code) result;
            try { result = await new GitHubActionsExecutor(options.Actions, token, log).RunAsync(job, cancel.Token); }
            catch (Exception e) when (e is Octokit.ApiException or HttpRequestException or InvalidOperationException
                                          or OperationCanceledException)
            {
                log.Append(job.Id, $"GitHub Actions: {e.Message}");
                result = (cancel.IsCancellationRequested ? JobStatus.Cancelled : JobStatus.Failed, null);
            }
            log.Append(job.Id, $"The run finished: {result.Status.ToString().ToLowerInvariant()}.");
            await FinishAsync(job, _stopping ? JobStatus.Interrupted : result.Status, result.Code);
            cancel.Dispose();
        }, CancellationToken.None), cancel);
    }

    private async Task FinishAsync(Job job, JobStatus status, int? code)
    {
        await store.MarkFinishedAsync(job.Id, status, code, CancellationToken.None);
        await audit.WriteAsync(job.RequestedBy, "job.finished", $"jobs/{job.Id}", code ?? -1, status.ToString(), CancellationToken.None);
        _running.TryRemove(job.Id, out _);
        Wake();
    }

    private async Task CompleteAsync(Job job, Process process)
    {
        await process.WaitForExitAsync();
        var code = process.ExitCode;
        var current = await store.FindAsync(job.Id, CancellationToken.None);
        var status = _stopping ? JobStatus.Interrupted
            : current?.CancelRequested == true ? JobStatus.Cancelled
            : code == 0 ? JobStatus.Succeeded : JobStatus.Failed;
        log.Append(job.Id, $"The build exited with {code}: {status.ToString().ToLowerInvariant()}.");
        await store.MarkFinishedAsync(job.Id, status, code, CancellationToken.None);
        await audit.WriteAsync(job.RequestedBy, "job.finished", $"jobs/{job.Id}", code, status.ToString(), CancellationToken.None);
        _running.TryRemove(job.Id, out _);
        process.Dispose();
        Wake();
    }

    /// <summary>Cancels a queued job at once, or sends SIGTERM to a running one (and kills it after the grace period).</summary>
    public async Task<Job?> CancelAsync(string id, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var job = await store.FindAsync(id, ct);
            if (job is null || job.IsFinished) return job;
            await store.RequestCancelAsync(id, ct);
            if (job.Status == JobStatus.Queued)
            {
                await store.MarkFinishedAsync(id, JobStatus.Cancelled, null, ct);
                log.Append(id, "Cancelled before it started.");
            }
            else if (_running.TryGetValue(id, out var running) && running.Cancel is { } github)
            {
                log.Append(id, "Cancel requested: the GitHub run is being cancelled.");
                await github.CancelAsync();
            }
            else if (_running.TryGetValue(id, out running) && running.Process is not null)
            {
                log.Append(id, "Cancel requested: SIGTERM sent to the build (its clean-up targets still run).");
                Signals.Terminate(running.Process.Id);
                _ = KillAfterGraceAsync(running);
            }
            return await store.FindAsync(id, ct);
        }
        finally { _gate.Release(); }
    }

    private async Task KillAfterGraceAsync(Running running)
    {
        if (await Task.WhenAny(running.Completion, Task.Delay(options.CancelGrace)) == running.Completion) return;
        log.Append(running.Job.Id, $"Still running {options.CancelGrace.TotalSeconds:0}s after SIGTERM: killed.");
        try { running.Process?.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        foreach (var running in _running.Values)
            if (running.Process is { } process) Signals.Terminate(process.Id);
            else if (running.Cancel is { } github) await github.CancelAsync();
        var all = Task.WhenAll(_running.Values.Select(r => r.Completion));
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
        await base.StopAsync(cancellationToken);
    }
}
