using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Tools.Haproxy;
using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Deploying.Canary;

/// <summary>
/// <c>rolling/strategy: canary</c> of a docker or ssh group: per step, canary instances of the new image and as many fresh
/// baseline instances of the running one join the group's backend at weight 0, take the step's share of requests each
/// (<c>set weight</c>, no reload), and after the pause the step's analysis judges them on HAProxy's request log. A failed step
/// takes both out of traffic at once, removes them and fails the deploy with the verdict; after the last step they are
/// removed and the group is rolled by <paramref name="rolling"/>. A run first removes what a killed one left. An analysis with
/// PromQL queries also asks its Prometheus once the samples pass, and waits for data up to its max_wait.
/// </summary>
public sealed class CanaryRollout(GroupDefinition group, CanaryFleet canary, CanaryFleet baseline, IInstanceProvider provider,
    HaproxyRuntimeApi api, DeployJournal journal, IGroupRollout rolling) : IGroupRollout
{
    private readonly CanaryDefinition _canary = group.Canary!;
    private readonly string _backend = group.LoadBalancer!.Backend;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>How often a step whose samples passed asks Prometheus again while a query has no data yet.</summary>
    public TimeSpan QueryInterval { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<GroupPlan> PlanAsync(string image, CancellationToken ct)
    {
        var plan = await rolling.PlanAsync(image, ct);
        if (!plan.HasChanges || Baseline(await provider.ListAsync(ct), image) is not { } running) return plan;
        var each = _canary.Baseline ? $", each beside as many fresh baseline instances of {ImageResolver.Short(running)}" : "";
        return plan with
        {
            Headline = $"{group.Name}: canary {ImageResolver.Short(image)} in steps {string.Join(", ", _canary.Steps)}{each}"
                + $"{Queries()}; then roll:",
        };
    }

    public async Task<DeployOutcome> DeployAsync(string image, RolloutOptions options, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var id = DeployId.New(started, "canary");
        journal.Append(new(id, started, "start", To: image, Detail: $"{group.Environment}/{group.Name} canary"));
        await CleanUpAsync(id, ct);
        var plan = await rolling.PlanAsync(image, ct);
        if (!plan.HasChanges || Baseline(await provider.ListAsync(ct), image) is not { } running)
        {
            journal.Append(new(id, DateTimeOffset.UtcNow, "finished", Detail: "no running version to compare with; rolled"));
            return await rolling.DeployAsync(image, options, ct);
        }
        var weights = (await HaproxyWeights.ReadAsync(api, _backend, ct)).Where(w => !IsCanaryOrBaseline(w.Key))
            .ToDictionary(w => w.Key, w => w.Value);
        var saved = JsonSerializer.Serialize(weights, CanaryWeightsJson.Default.DictionaryStringInt32);
        journal.Append(new(id, DateTimeOffset.UtcNow, "canary-weights", Detail: saved));
        var samples = new SampleCollector(_backend);
        await using var listener = _canary.LogAddress is { } log ? HaproxyLogListener.Start(log, samples.Add) : null;
        var verdicts = new List<string>();
        for (var i = 0; i < _canary.Steps.Count; i++)
        {
            var step = _canary.Steps[i];
            var at = $"step {i + 1}/{_canary.Steps.Count} ({step.WeightPercent}%)";
            if (options.BeforeBatch is { } fence) await fence(ct);
            CanaryVerdict? verdict;
            try { verdict = await StepAsync(id, step, at, image, running, weights.Keys.ToList(), samples, ct); }
            catch (Exception e) when (e is BatchFailure or PipelineException && e is not Locking.DeployLockLostException
                                      && !ct.IsCancellationRequested)
            {
                verdict = new CanaryVerdict(VerdictKind.Fail, [], $"{e.Message}: fail");
            }
            if (verdict is null) continue;
            verdicts.Add($"{at}: {verdict.Line}");
            journal.Append(new(id, DateTimeOffset.UtcNow, "canary-verdict", Detail: $"{at}: {verdict.Line}"));
            if (!verdict.Failed) continue;
            Log.Error($"{group.Environment}/{group.Name}: canary {at}: {verdict.Line}; aborting");
            await CleanUpAsync(id, ct);
            journal.Append(new(id, DateTimeOffset.UtcNow, "finished", Detail: "rolled back"));
            return new DeployOutcome(id, false, true,
                $"{group.Environment}/{group.Name}: canary {ImageResolver.Short(image)} aborted at {at}: {verdict.Line}", plan, started,
                DateTimeOffset.UtcNow);
        }
        Log.Information($"{group.Environment}/{group.Name}: canary passed every step; promoting");
        await CleanUpAsync(id, ct);
        journal.Append(new(id, DateTimeOffset.UtcNow, "finished", Detail: "promoted"));
        var outcome = await rolling.DeployAsync(image, options, ct);
        return outcome with { Message = $"{outcome.Message} after the canary ({string.Join("; ", verdicts)})" };
    }

    /// <summary>One step: instances up, weights set, pause, analysis. Null when the step has no analysis.</summary>
    private async Task<CanaryVerdict?> StepAsync(string id, CanaryStep step, string at, string image, string running,
        IReadOnlyList<string> servers, SampleCollector samples, CancellationToken ct)
    {
        var count = step.Instances(group.Count);
        var canaries = await canary.EnsureAsync(id, image, count, ct);
        var baselines = _canary.Baseline ? await baseline.EnsureAsync(id, running, count, ct) : [];
        var w = TrafficWeights.For(step.WeightPercent, canaries.Count, baselines.Count, servers.Count);
        await canary.WeighAsync(servers, w.Group, ct);
        await canary.WeighAsync(canaries, w.Canary, ct);
        await baseline.WeighAsync(baselines, w.Baseline, ct);
        journal.Append(new(id, DateTimeOffset.UtcNow, "canary-step", Detail: $"{at}: weights canary {w.Canary}, baseline {w.Baseline}, "
            + $"group {w.Group} ({canaries.Count} canary, {baselines.Count} baseline, {servers.Count} group servers)"));
        Log.Information($"{group.Environment}/{group.Name}: canary {at}: {string.Join(", ", canaries.Concat(baselines))} in traffic");
        if (step.Pause is { } pause) await Task.Delay(pause, ct);
        if (step.Analysis is not { } analysis) return null;
        samples.Reset(canaries, baselines);
        var watch = Stopwatch.StartNew();
        CanaryVerdict? judged = null; // the samples are judged once, when there are enough; queries may wait on after that
        var placeholders = new QueryPlaceholders(_backend, canaries, baselines);
        while (true)
        {
            var final = watch.Elapsed >= analysis.MaxWait;
            judged ??= CanaryJudge.Judge(samples.Snapshot(), analysis, final) is { Kind: not VerdictKind.Waiting } v ? v : null;
            if (judged is null) { await Task.Delay(TimeSpan.FromMilliseconds(250), ct); continue; }
            if (judged.Kind != VerdictKind.Pass || analysis.Queries.Count == 0) return judged;
            var client = new Tools.Prometheus.PrometheusClient(Http, analysis.Prometheus!);
            var results = await QueryEvaluation.EvaluateAsync(client, analysis.Queries, placeholders, ct);
            var verdict = CanaryJudge.WithQueries(judged, results, analysis, final);
            if (verdict.Kind != VerdictKind.Waiting) return verdict;
            Log.Debug($"{group.Environment}/{group.Name}: canary {at}: {verdict.Summary}");
            await Task.Delay(QueryInterval, ct);
        }
    }

    /// <summary>The plan's note of the analyses that also ask Prometheus: their queries and bounds.</summary>
    private string Queries() => string.Concat(_canary.Steps.Select(s => s.Analysis).OfType<CanaryAnalysis>().Distinct()
        .Where(a => a.Queries.Count > 0)
        .Select(a => $"; analysis {a.Name} also queries {a.Prometheus}: {string.Join(", ", a.Queries)}"));

    /// <summary>Takes canary and baseline out of traffic and removes them, then restores the group's weights as a canary run recorded
    /// them (also a killed run's, found in the journal).</summary>
    private async Task CleanUpAsync(string id, CancellationToken ct)
    {
        await canary.RemoveAllAsync(id, ct);
        await baseline.RemoveAllAsync(id, ct);
        var entries = journal.Read();
        if (entries.LastOrDefault(e => e.Step == "canary-weights") is not { Detail: { } saved } last
            || entries.Any(e => e.Deploy == last.Deploy && e.Step == "canary-restored")) return;
        foreach (var (server, weight) in JsonSerializer.Deserialize(saved, CanaryWeightsJson.Default.DictionaryStringInt32) ?? [])
            try { await api.ExecuteAsync(HaproxyCommands.SetWeight(_backend, server, weight), ct); }
            catch (HaproxyRefusedException) { } // a server gone since: nothing to restore
        journal.Append(new(last.Deploy, DateTimeOffset.UtcNow, "canary-restored", Detail: $"group weights back ({id})"));
    }

    /// <summary>The version the group runs now (the most common one), unless it is already the new image.</summary>
    private static string? Baseline(IReadOnlyList<ObservedInstance> observed, string image) =>
        observed.Where(o => o.Running && o.Image != image).GroupBy(o => o.Image).MaxBy(g => g.Count())?.Key;

    private bool IsCanaryOrBaseline(string server) =>
        server.StartsWith(canary.Role + "-", StringComparison.Ordinal) || server.StartsWith(baseline.Role + "-", StringComparison.Ordinal);

    public Task<IReadOnlyList<ObservedInstance>> MembersAsync(CancellationToken ct) => rolling.MembersAsync(ct);
    public Task<IReadOnlyList<ObservedInstance>> ServingAsync(IReadOnlyList<ObservedInstance> members, CancellationToken ct) =>
        rolling.ServingAsync(members, ct);
    public IReadOnlyList<JournalEntry> Journal(string deployId) => journal.Of(deployId);
    public Task AppendHostAuditAsync(string line, CancellationToken ct) => rolling.AppendHostAuditAsync(line, ct);
}

/// <summary>The group's HAProxy weights as the journal keeps them while a canary runs.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class CanaryWeightsJson : System.Text.Json.Serialization.JsonSerializerContext;
