using Pipeline.Deploying.Planning;
using Pipeline.Engine;

namespace Pipeline.Deploying.Rolling;

/// <summary>
/// Resuming after a killed deploy: the journal of the interrupted run says what it had moved (so a rollback can still
/// return those instances), and reconciling puts healthy instances the killed run left drained back into traffic.
/// </summary>
public sealed partial class RollingEngine
{
    /// <summary>Puts every healthy running instance back into traffic (a killed run may have left one drained), adds
    /// missing members, and removes servers whose instance is gone.</summary>
    private async Task<IReadOnlySet<string>> ReconcileAsync(IReadOnlyList<ObservedInstance> observed, CancellationToken ct)
    {
        var unhealthy = new HashSet<string>();
        var members = await loadBalancer.MembersAsync(ct);
        var quick = new HealthGate(
            probe,
            group.Health with
            {
                StartTimeout = group.Health.Interval * (group.Health.UnhealthyThreshold + group.Health.HealthyThreshold),
            },
            TimeSpan.Zero
        );
        await Task.WhenAll(observed.Where(o => o.Running && (!members.TryGetValue(o.Name, out var serving) || !serving)).Select(async o =>
        {
            await loadBalancer.EnsureMemberAsync(o.Name, o.Address, ct);
            if ((await quick.WaitHealthyAsync(o.Address, ct)).Healthy)
            {
                await loadBalancer.ReadyAsync(o.Name, ct);
                journal.Append(new(_id, DateTimeOffset.UtcNow, "ready", o.Name, Detail: "healthy instance found out of traffic; put back"));
                Log.Information($"  {o.Name}: healthy but out of traffic (an interrupted deploy?); set ready");
            }
            else lock (unhealthy) unhealthy.Add(o.Name);
        }));
        foreach (var name in members.Keys.Where(n => observed.All(o => o.Name != n)))
            await loadBalancer.RemoveAsync(name, _policy.DrainTimeout, ct);
        return unhealthy;
    }

    /// <summary>Per instance, the image it had before an interrupted deploy first replaced it.</summary>
    private static Dictionary<string, string> PreviousImages(IReadOnlyList<JournalEntry>? interrupted)
    {
        var map = new Dictionary<string, string>();
        if (interrupted is null) return map;
        Log.Warning(
            $"Resuming after deploy {interrupted[0].Deploy}, interrupted after '{interrupted[^1].Step}' {interrupted[^1].Instance} at "
            + $"{interrupted[^1].At:HH:mm:ss}Z."
        );
        foreach (var e in interrupted.Where(e => e.Step is "replace" or "surge" && e.Instance is not null && e.From is not null))
            map.TryAdd(e.Instance!, e.From!);
        return map;
    }
}
