using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;

namespace Pipeline.Deploying.Rolling;

/// <summary>
/// The rolling algorithm for docker and ssh groups. Per batch: drain in the load balancer, stop gracefully, start
/// the new version, pass the health gate, set ready, bake. A failed batch stops the rollout and (on_failure: rollback)
/// returns every replaced instance to its previous version. Every step is journaled first; a run after a killed one
/// first puts healthy instances back into traffic, then converges on the desired state. With max_surge, see the Surge part.
/// </summary>
public sealed partial class RollingEngine(
    GroupDefinition group,
    IInstanceProvider provider,
    ILoadBalancer loadBalancer,
    IHealthProbe probe,
    DeployJournal journal
)
{
    private readonly RollingPolicy _policy = group.Rolling;
    private readonly HealthGate _gate = new(probe, group.Health, group.Rolling.Warmup);
    private string _id = "";

    /// <summary>
    /// Fencing, awaited before each batch (and before removals): the deploy lock's <c>EnsureHeldAsync</c>. Its
    /// <see cref="Locking.DeployLockLostException"/> stops the rollout there, with no rollback: the environment is another deploy's now.
    /// </summary>
    public Func<CancellationToken, Task> BeforeBatch { get; init; } = _ => Task.CompletedTask;

    public async Task<DeployOutcome> RunAsync(string image, RolloutOptions options, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        _id = DeployId.New(started);
        var previous = PreviousImages(journal.Interrupted());
        journal.Append(new(_id, started, "start", To: image, Detail: $"{group.Environment}/{group.Name}"));

        var observed = await provider.ListAsync(ct);
        var unhealthy = await ReconcileAsync(observed, ct);
        observed = await provider.ListAsync(ct);
        var batch = Math.Max(1, Math.Min(_policy.EffectiveBatch(group.Count), options.MaxUnavailable ?? int.MaxValue));
        if (_policy.MaxSurge > 0)
            return await SurgeAsync(image, SurgePlan.Make(group, image, observed, batch, unhealthy), previous, batch, started, ct);
        var plan = GroupPlan.Make(group, image, observed);
        plan = plan with
        {
            Changes = plan
                .Changes.Select(c =>
                    c.Kind == ChangeKind.Keep && unhealthy.Contains(c.Name) ? c with { Kind = ChangeKind.Replace, Reason = "unhealthy" } : c
                )
                .ToList(),
        };
        var pending = plan.Pending.Where(c => c.Kind != ChangeKind.Remove).ToList();
        Log.Information(
            $"{group.Environment}/{group.Name}: {pending.Count} to roll in batches of {batch}, {plan.Count(ChangeKind.Remove)} to remove, "
            + $"on {provider.Describe}."
        );

        // Instances an interrupted run had already moved are rolled back with this run's changes.
        var moved = plan.Changes.Where(c => c.Kind == ChangeKind.Keep && previous.ContainsKey(c.Name) && previous[c.Name] != image)
            .Select(c => c with { Kind = ChangeKind.Replace, From = previous[c.Name] }).ToList();
        var done = new List<InstanceChange>(moved);
        try
        {
            foreach (var chunk in pending.Chunk(batch))
            {
                await BeforeBatch(ct);
                Log.Information($"Batch {string.Join(", ", chunk.Select(c => c.Name))}…");
                await Task.WhenAll(chunk.Select(c => ReplaceAsync(c, observed, image, track: done, ct)));
                var bake = await _gate.BakeAsync(await AddressesAsync(chunk, ct), _policy.Bake, ct);
                if (bake is { } b) throw new BatchFailure(b.Instance, b.Verdict.Detail);
            }
            if (plan.Pending.Any(c => c.Kind == ChangeKind.Remove)) await BeforeBatch(ct);
            foreach (var removal in plan.Pending.Where(c => c.Kind == ChangeKind.Remove))
                await RemoveAsync(observed.First(o => o.Slot == removal.Slot), ct);
        }
        catch (Exception e)
            when (e is BatchFailure or PipelineException and not Locking.DeployLockLostException && !ct.IsCancellationRequested)
        {
            var message = Failed(e);
            if (_policy.OnFailure == FailureAction.Halt)
                return Finish(
                    plan,
                    started,
                    false,
                    false,
                    $"{message}; halted (on_failure: halt): {Names(done)} run the new version, the rest the old one"
                );
            Log.Error($"{message}; rolling back {Names(done)}…");
            await RollbackAsync(done, batch, ct);
            return Finish(plan, started, false, true, $"{message}; rolled back {Names(done)} to the previous version");
        }
        return Finish(plan, started, true, false, plan.HasChanges || moved.Count > 0
            ? $"{group.Environment}/{group.Name}: {group.Count} × {ImageResolver.Short(image)} deployed"
            : $"{group.Environment}/{group.Name}: up to date ({group.Count} × {ImageResolver.Short(image)})");
    }

    private async Task ReplaceAsync(
        InstanceChange change,
        IReadOnlyList<ObservedInstance> observed,
        string image,
        List<InstanceChange> track,
        CancellationToken ct
    )
    {
        var old = observed.FirstOrDefault(o => o.Slot == change.Slot);
        journal.Append(new(_id, DateTimeOffset.UtcNow, "replace", change.Name, change.From, image));
        lock (track) track.Add(change);
        if (old is not null)
        {
            await loadBalancer.DrainAsync(change.Name, _policy.DrainTimeout, ct);
            journal.Append(new(_id, DateTimeOffset.UtcNow, "drained", change.Name));
            await provider.StopAsync(old, _policy.StopTimeout, ct);
            journal.Append(new(_id, DateTimeOffset.UtcNow, "stopped", change.Name, old.Image));
        }
        await StartHealthyAsync(DesiredInstance.ForSlot(group, image, change.Slot), ct);
    }

    private async Task StartHealthyAsync(DesiredInstance desired, CancellationToken ct)
    {
        var instance = await provider.StartAsync(desired, ct);
        journal.Append(new(_id, DateTimeOffset.UtcNow, "started", desired.Name, To: desired.Image));
        await loadBalancer.EnsureMemberAsync(desired.Name, instance.Address, ct);
        var verdict = await _gate.WaitHealthyAsync(
            instance.Address,
            ct,
            provider is ISelfReportedHealth self ? token => self.ReportsHealthyAsync(instance, token) : null
        );
        if (!verdict.Healthy) throw new BatchFailure(desired.Name, verdict.Detail);
        journal.Append(new(_id, DateTimeOffset.UtcNow, "healthy", desired.Name, Detail: verdict.Detail));
        await loadBalancer.ReadyAsync(desired.Name, ct);
        journal.Append(new(_id, DateTimeOffset.UtcNow, "ready", desired.Name));
        Log.Information($"  {desired.Name}: {ImageResolver.Short(desired.Image)} healthy ({verdict.Detail}), in traffic");
    }

    private async Task RollbackAsync(IReadOnlyList<InstanceChange> replaced, int batch, CancellationToken ct)
    {
        var now = await provider.ListAsync(ct);
        foreach (var chunk in replaced.OrderBy(c => c.Slot).Chunk(batch))
            await Task.WhenAll(chunk.Select(c => RollBackOneAsync(c, now.FirstOrDefault(o => o.Slot == c.Slot), ct)));
    }

    /// <summary>Returns one instance to its previous version; a failure is logged and the others still roll back.</summary>
    private async Task RollBackOneAsync(InstanceChange change, ObservedInstance? current, CancellationToken ct)
    {
        journal.Append(new(_id, DateTimeOffset.UtcNow, "rollback", change.Name, current?.Image, change.From));
        try
        {
            if (change.From is null)
            {
                if (current is not null) await RemoveAsync(current, ct);
                return;
            }
            if (current is not null)
            {
                await loadBalancer.DrainAsync(change.Name, _policy.DrainTimeout, ct);
                await provider.StopAsync(current, _policy.StopTimeout, ct);
            }
            await StartHealthyAsync(DesiredInstance.ForSlot(group, change.From, change.Slot), ct);
        }
        catch (BatchFailure f) { Log.Error($"  rollback of {f.Instance} is not healthy either: {f.Detail} (left out of traffic)"); }
        catch (PipelineException e) when (!ct.IsCancellationRequested) { Log.Error($"  rollback of {change.Name} failed: {e.Message}"); }
    }

    private async Task RemoveAsync(ObservedInstance instance, CancellationToken ct)
    {
        await loadBalancer.RemoveAsync(instance.Name, _policy.DrainTimeout, ct);
        await provider.StopAsync(instance, _policy.StopTimeout, ct);
        journal.Append(new(_id, DateTimeOffset.UtcNow, "removed", instance.Name, instance.Image));
        Log.Information($"  {instance.Name}: removed");
    }

    private async Task<IReadOnlyDictionary<string, string>> AddressesAsync(IEnumerable<InstanceChange> changes, CancellationToken ct)
    {
        var now = await provider.ListAsync(ct);
        return changes
            .Select(c => now.FirstOrDefault(o => o.Slot == c.Slot))
            .OfType<ObservedInstance>()
            .ToDictionary(o => o.Name, o => o.Address);
    }

    /// <summary>Journals the failure of a batch (or of the deploy as a whole) and says it in one line.</summary>
    private string Failed(Exception e)
    {
        var (instance, detail) = e is BatchFailure f ? (f.Instance, f.Detail) : ("deploy", e.Message);
        journal.Append(new(_id, DateTimeOffset.UtcNow, "failed", instance, Detail: detail));
        return $"{group.Environment}/{group.Name}: {instance} failed: {detail}";
    }

    private DeployOutcome Finish(GroupPlan plan, DateTimeOffset started, bool ok, bool rolledBack, string message)
    {
        journal.Append(new(_id, DateTimeOffset.UtcNow, "finished", Detail: ok ? "succeeded" : rolledBack ? "rolled back" : "halted"));
        return new DeployOutcome(_id, ok, rolledBack, message, plan, started, DateTimeOffset.UtcNow);
    }

    private static string Names(IEnumerable<InstanceChange> changes) =>
        changes.Any() ? string.Join(", ", changes.OrderBy(c => c.Slot).Select(c => c.Name)) : "no instance";
}
