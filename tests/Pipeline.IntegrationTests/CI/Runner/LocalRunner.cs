using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>How one job of a run ended ("success", "failure", "skipped") and what its steps printed.</summary>
public sealed record JobResult(string Id, string Result, string Log);

/// <summary>
/// Runs a generated workflow as GitHub would, on this machine: jobs in dependency order, each whose <c>if:</c> and needs
/// allow it on a fresh <see cref="RunnerMachine"/>. A job gets only what the workflow hands it: the artifacts of this run it
/// downloads, the caches it restores (one store for every run of this runner, as a repository's cache is), the secrets and
/// variables its steps name (scoped by its GitHub <c>environment:</c>) and the runner's own variables. Jobs run one at a
/// time (two cores); GitHub would run independent ones side by side, which changes nothing they receive.
/// </summary>
public sealed class LocalRunner(RunnerSettings settings)
{
    private int _runs;

    public RunnerSettings Settings => settings;
    /// <summary>The repository's cache: one folder per saved key.</summary>
    public string CacheStore => Path.Combine(settings.Root, "cache");

    /// <summary>
    /// Fills the cache entry of the step named <paramref name="stepName"/> (its key as the commit's checkout computes it)
    /// from the files this checkout holds at the step's paths, as an earlier run on the same inputs would have saved them.
    /// </summary>
    public async Task WarmCacheAsync(Workflow workflow, string stepName, string commit, CancellationToken ct)
    {
        var step = workflow.Jobs.SelectMany(j => j.Steps).First(s => s.Name == stepName);
        var checkout = Directory.CreateTempSubdirectory("runner-checkout-").FullName;
        try
        {
            foreach (var argv in RunnerActions.Checkout(checkout, settings.Repository, commit))
                await CliWrap.Cli.Wrap("git").WithArguments(argv).RunBufferedAsync(ct);
            var scope = new WorkflowExpression.Scope(new Dictionary<string, string?> { ["runner.os"] = "Linux" })
            {
                HashFiles = HashFiles.Of(checkout),
            };
            await RunnerCache.WarmAsync(CacheStore, WorkflowExpression.Interpolate(step.With["key"], scope), settings.Repository,
                step.With["path"], ct);
        }
        finally { Directory.Delete(checkout, recursive: true); }
    }

    /// <summary>
    /// Runs <paramref name="workflow"/> for <paramref name="trigger"/> at <paramref name="commit"/>; the jobs' results by id.
    /// </summary>
    public Task<IReadOnlyDictionary<string, JobResult>> RunAsync(
        Workflow workflow,
        RunnerEvent trigger,
        string commit,
        CancellationToken ct
    ) => RunAsync(workflow, trigger, commit, settings, ct);

    /// <summary>A run with the repository's settings changed for it (e.g. a secret taken away); the same stand-ins and cache.</summary>
    public async Task<IReadOnlyDictionary<string, JobResult>> RunAsync(
        Workflow workflow,
        RunnerEvent trigger,
        string commit,
        RunnerSettings changed,
        CancellationToken ct
    )
    {
        var runId = (Interlocked.Increment(ref _runs) + 7000).ToString();
        var folder = Path.Combine(settings.Root, $"run-{runId}");
        var run = new RunContext(changed, workflow, trigger, commit, runId, folder, CacheStore);
        Directory.CreateDirectory(run.Artifacts);
        var results = new Dictionary<string, JobResult>();
        var pending = workflow.Jobs.ToList();
        while (pending.Count > 0)
        {
            var job = pending.First(j => j.Needs.All(results.ContainsKey));
            pending.Remove(job);
            var needs = job.Needs.Select(n => results[n].Result).ToList();
            var contexts = run.Contexts();
            foreach (var need in job.Needs) contexts[$"needs.{need}.result"] = results[need].Result;
            var scope = new WorkflowExpression.Scope(contexts)
            {
                Succeeded = needs.All(r => r == "success"),
                Failed = needs.Contains("failure"),
            };
            if (!WorkflowExpression.Runs(job.If, scope))
            {
                results[job.Id] = new JobResult(job.Id, "skipped", "");
                continue;
            }
            results[job.Id] = await new JobExecution(run, job, contexts).RunAsync(ct);
        }
        return results;
    }
}

/// <summary>One run's constants: its event, commit, id, folders and the contexts every expression of it can read.</summary>
internal sealed record RunContext(
    RunnerSettings Settings,
    Workflow Workflow,
    RunnerEvent Trigger,
    string Commit,
    string RunId,
    string Folder,
    string CacheStore
)
{
    public string Artifacts => Path.Combine(Folder, "artifacts");
    /// <summary>The https stand-ins every machine of the run trusts and reaches by their public names (none: null).</summary>
    public HttpsStandIns? Https => Settings.Https;

    public Dictionary<string, string?> Contexts()
    {
        var contexts = new Dictionary<string, string?>
        {
            ["github.event_name"] = Trigger.Name,
            ["github.ref"] = Trigger.Ref,
            ["github.sha"] = Commit,
            ["github.run_id"] = RunId,
            ["github.repository"] = Settings.GitHubRepository,
            ["github.server_url"] = Settings.ServerUrl,
            ["runner.os"] = "Linux",
        };
        foreach (var (name, value) in Workflow.DispatchInputs)
            contexts[$"inputs.{name}"] = Trigger.Name == "workflow_dispatch" ? Trigger.Inputs.GetValueOrDefault(name, value ?? "") : null;
        foreach (var (name, value) in Settings.Variables) contexts[$"vars.{name}"] = value;
        return contexts;
    }
}
