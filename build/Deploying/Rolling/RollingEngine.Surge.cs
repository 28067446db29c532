using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;
using System.Diagnostics;

namespace Pipeline.Deploying.Rolling;

/// <summary>
/// Surge mode (max_surge above 0), per batch: start the new instances in free slots beside the old ones, pass the
/// health gate, set them ready and wait until the load balancer serves them, bake, and only then drain and remove as
/// many old ones. A failed batch removes its new instances (the old ones never stopped serving); with
/// on_failure: rollback, instances of earlier batches are surged back to the version they replaced.
/// </summary>
public sealed partial class RollingEngine
{
    private async Task<DeployOutcome> SurgeAsync(
        string image,
        SurgePlan surge,
        IReadOnlyDictionary<string, string> previous,
        int batch,
        DateTimeOffset started,
        CancellationToken ct
    )
    {
        var plan = surge.Plan;
        Log.Information(
            $"{group.Environment}/{group.Name}: {surge.Batches.Sum(b => b.Starts.Count)} to start beside the old ones, {batch} at a time "
            + $"(max_surge {_policy.MaxSurge}), "
                + $"{surge.RemoveFirst.Count + surge.Batches.Sum(b => b.Retires.Count)} to remove, on {provider.Describe}."
        );
        var moved = plan.Changes.Where(c => c.Kind == ChangeKind.Keep && previous.TryGetValue(c.Name, out var p) && p != image)
            .Select(c => c with { Kind = ChangeKind.Create, From = previous[c.Name] }).ToList();
        var done = new List<InstanceChange>(moved);
        var inFlight = new List<InstanceChange>();
        try
        {
            if (surge.RemoveFirst.Count > 0) await BeforeBatch(ct);
            foreach (var o in surge.RemoveFirst) await RemoveAsync(o, ct);
            foreach (var step in surge.Batches)
            {
                await BeforeBatch(ct);
                Log.Information(
                    $"Surge batch {Names(step.Starts)}"
                        + (step.Retires.Count > 0 ? $" beside {string.Join(", ", step.Retires.Select(r => r.Name))}…" : "…")
                );
                inFlight = [];
                await Task.WhenAll(step.Starts.Select(c => SurgeStartAsync(c, c.To!, inFlight, ct)));
                await WaitServingAsync(step.Starts.Select(c => c.Name).ToList(), ct);
                var bake = await _gate.BakeAsync(await AddressesAsync(step.Starts, ct), _policy.Bake, ct);
                if (bake is { } b) throw new BatchFailure(b.Instance, b.Verdict.Detail);
                await Task.WhenAll(step.Retires.Select(o => RemoveAsync(o, ct)));
                done.AddRange(inFlight);
                inFlight = [];
            }
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
                    $"{message}; halted (on_failure: halt): {Names(inFlight)} left beside the old instances, {Names(done)} run the new "
                    + $"version"
                );
            Log.Error($"{message}; removing {Names(inFlight)}, rolling back {Names(done)}…");
            var now = await provider.ListAsync(ct);
            await Task.WhenAll(inFlight.Select(c => DiscardAsync(c, now.FirstOrDefault(o => o.Slot == c.Slot), ct)));
            await SurgeBackAsync(done, batch, ct);
            return Finish(
                plan,
                started,
                false,
                true,
                $"{message}; removed the new {Names(inFlight)} (the old instances kept serving), rolled back {Names(done)} to the "
                + $"previous version"
            );
        }
        return Finish(plan, started, true, false, plan.HasChanges || moved.Count > 0
            ? $"{group.Environment}/{group.Name}: {group.Count} × {ImageResolver.Short(image)} deployed (surge)"
            : $"{group.Environment}/{group.Name}: up to date ({group.Count} × {ImageResolver.Short(image)})");
    }

    private async Task SurgeStartAsync(InstanceChange change, string image, List<InstanceChange> track, CancellationToken ct)
    {
        journal.Append(new(_id, DateTimeOffset.UtcNow, "surge", change.Name, change.From, image, change.Reason));
        lock (track) track.Add(change);
        await StartHealthyAsync(DesiredInstance.ForSlot(group, image, change.Slot), ct);
    }

    /// <summary>Waits until the load balancer sends traffic to every named instance (HAProxy's own check must pass too).</summary>
    private async Task WaitServingAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var members = await loadBalancer.MembersAsync(ct);
            var waiting = names.Where(n => members.TryGetValue(n, out var serving) && !serving).ToList();
            if (waiting.Count == 0) return;
            if (watch.Elapsed > group.Health.StartTimeout)
                throw new BatchFailure(
                    waiting[0],
                    $"set ready but not in traffic within start_timeout {group.Health.StartTimeout.TotalSeconds:0}s (the load balancer's "
                    + $"own check fails)"
                );
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    /// <summary>Removes a new instance of a failed batch (from the load balancer even when it never started).</summary>
    private async Task DiscardAsync(InstanceChange change, ObservedInstance? current, CancellationToken ct)
    {
        journal.Append(new(_id, DateTimeOffset.UtcNow, "rollback", change.Name, change.To, change.From, "surge instance removed"));
        try
        {
            if (current is not null) await RemoveAsync(current, ct);
            else await loadBalancer.RemoveAsync(change.Name, _policy.DrainTimeout, ct);
        }
        catch (PipelineException e) when (!ct.IsCancellationRequested) { Log.Error($"  removing {change.Name} failed: {e.Message}"); }
    }

    /// <summary>Surges completed batches back: the previous version starts beside each new instance, which is removed once it
    /// serves.</summary>
    private async Task SurgeBackAsync(IReadOnlyList<InstanceChange> replaced, int batch, CancellationToken ct)
    {
        var now = await provider.ListAsync(ct);
        var occupied = now.Select(o => o.Slot).ToHashSet();
        foreach (var chunk in replaced.OrderBy(c => c.Slot).Chunk(batch))
            await Task.WhenAll(chunk.Select(async c =>
            {
                var current = now.FirstOrDefault(o => o.Slot == c.Slot);
                journal.Append(new(_id, DateTimeOffset.UtcNow, "rollback", c.Name, current?.Image, c.From));
                try
                {
                    if (c.From is not null)
                    {
                        var back = DesiredInstance.ForSlot(group, c.From, SurgePlan.FreeSlot(group, occupied, c.Slot));
                        await StartHealthyAsync(back, ct);
                        await WaitServingAsync([back.Name], ct);
                    }
                    if (current is not null)
                        await RemoveAsync(current, ct);
                }
                catch (BatchFailure f)
                {
                    Log.Error($"  rollback beside {c.Name}: {f.Instance} is not healthy either: {f.Detail} ({c.Name} keeps serving)");
                }
                catch (PipelineException e) when (!ct.IsCancellationRequested)
                {
                    Log.Error($"  rollback of {c.Name} failed: {e.Message}");
                }
            }));
    }
}
