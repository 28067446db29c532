using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Tools.Haproxy;

namespace Pipeline.Deploying.Canary;

/// <summary>
/// The canary's or the baseline's instances of one group (<see cref="CanaryDefinition.View"/>: <c>web-canary-1</c>,
/// <c>web-baseline-1</c>, …) in the group's backend: started and health-gated at weight 0, weighted per step, and removed
/// (weight 0, drained, deleted, stopped), also when a killed deploy left them behind.
/// </summary>
public sealed class CanaryFleet(GroupDefinition view, IInstanceProvider provider, ILoadBalancer loadBalancer, HaproxyRuntimeApi api,
    string backend, HealthGate gate, DeployJournal journal)
{
    public string Role => view.Name;

    /// <summary>Runs <paramref name="count"/> healthy instances of <paramref name="image"/> at weight 0; returns their names.</summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(string deploy, string image, int count, CancellationToken ct)
    {
        var running = (await provider.ListAsync(ct)).Where(o => o.Running && o.Image == image).Select(o => o.Slot).ToHashSet();
        var names = new List<string>();
        for (var slot = 1; slot <= count; slot++)
        {
            var desired = DesiredInstance.ForSlot(view, image, slot);
            names.Add(desired.Name);
            if (running.Contains(slot)) continue;
            var instance = await provider.StartAsync(desired, ct);
            journal.Append(new(deploy, DateTimeOffset.UtcNow, "started", desired.Name, To: image, Detail: Role));
            await loadBalancer.EnsureMemberAsync(desired.Name, instance.Address, ct);
            await api.ExecuteAsync(HaproxyCommands.SetWeight(backend, desired.Name, 0), ct);
            var verdict = await gate.WaitHealthyAsync(instance.Address, ct);
            if (!verdict.Healthy) throw new BatchFailure(desired.Name, verdict.Detail);
            await loadBalancer.ReadyAsync(desired.Name, ct);
            Log.Information($"  {desired.Name}: {ImageResolver.Short(image)} healthy ({verdict.Detail}), at weight 0");
        }
        return names;
    }

    public async Task WeighAsync(IEnumerable<string> names, int weight, CancellationToken ct)
    {
        foreach (var name in names) await api.ExecuteAsync(HaproxyCommands.SetWeight(backend, name, weight), ct);
    }

    /// <summary>Takes every instance of this role out of traffic at once (weight 0), then drains, deletes and stops each.</summary>
    public async Task RemoveAllAsync(string deploy, CancellationToken ct)
    {
        var members = (await loadBalancer.MembersAsync(ct)).Keys.Where(n => n.StartsWith(Role + "-", StringComparison.Ordinal)).ToList();
        foreach (var name in members)
            try { await api.ExecuteAsync(HaproxyCommands.SetWeight(backend, name, 0), ct); }
            catch (HaproxyRefusedException e) { Log.Warning($"  {name}: {e.Message}"); }
        foreach (var name in members) await loadBalancer.RemoveAsync(name, view.Rolling.DrainTimeout, ct);
        foreach (var instance in await provider.ListAsync(ct))
        {
            await provider.StopAsync(instance, view.Rolling.StopTimeout, ct);
            journal.Append(new(deploy, DateTimeOffset.UtcNow, "removed", instance.Name, instance.Image, Detail: Role));
            Log.Information($"  {instance.Name}: removed");
        }
    }
}
