using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;

namespace Pipeline.Tests.Deploying;

/// <summary>
/// An in-memory group for testing the rolling algorithm's decisions (the docker provider and HAProxy are exercised
/// for real in the integration tests): instances, load-balancer states and health by image, with an event log.
/// </summary>
internal sealed class InMemoryGroup : IInstanceProvider, ILoadBalancer, IHealthProbe
{
    private readonly Dictionary<int, ObservedInstance> _instances = [];
    private readonly Dictionary<string, string> _lb = [];   // name → ready | drain | maint
    public List<string> Events { get; } = [];
    public HashSet<string> UnhealthyImages { get; } = [];
    public int MaxOutOfTraffic { get; private set; }
    /// <summary>The fewest instances in traffic (ready and running) seen after any event.</summary>
    public int MinServing { get; private set; } = int.MaxValue;
    public Func<string, Task>? OnEvent { get; set; }

    public string Describe => "memory";

    public void Seed(GroupDefinition group, string image, int count)
    {
        foreach (var o in GroupPlanTests.Running(group, image, count))
        {
            _instances[o.Slot] = o with { Address = $"mem:{o.Slot}" };
            _lb[o.Name] = "ready";
        }
    }

    public IReadOnlyDictionary<string, string> States => _lb;
    public string ImageOf(int slot) => _instances[slot].Image;
    public IReadOnlyList<ObservedInstance> Instances { get { lock (_instances) return _instances.Values.OrderBy(i => i.Slot).ToList(); } }

    private async Task Record(string e)
    {
        lock (Events) Events.Add(e);
        var outOfTraffic = _lb.Count(kv => kv.Value != "ready");
        MaxOutOfTraffic = Math.Max(MaxOutOfTraffic, outOfTraffic);
        lock (_instances) MinServing = Math.Min(MinServing, _instances.Values.Count(i => _lb.GetValueOrDefault(i.Name) == "ready"));
        if (OnEvent is not null) await OnEvent(e);
    }

    public Task<IReadOnlyList<ObservedInstance>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ObservedInstance>>(_instances.Values.OrderBy(i => i.Slot).ToList());

    public async Task<ObservedInstance> StartAsync(DesiredInstance d, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var o = new ObservedInstance(d.Name, d.Slot, d.Image, d.SpecHash, $"mem:{d.Slot}", true);
        lock (_instances) _instances[d.Slot] = o;
        await Record($"start {d.Name} {d.Image}");
        return o;
    }

    public async Task StopAsync(ObservedInstance instance, TimeSpan grace, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_instances) _instances.Remove(instance.Slot);
        await Record($"stop {instance.Name}");
    }

    public Task<IReadOnlyDictionary<string, bool>> MembersAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, bool>>(_lb.ToDictionary(kv => kv.Key, kv => kv.Value == "ready"));

    public async Task EnsureMemberAsync(string instance, string address, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lb) if (!_lb.TryGetValue(instance, out var s) || s == "ready") _lb[instance] = "maint";
        await Record($"member {instance}");
    }

    public async Task DrainAsync(string instance, TimeSpan timeout, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lb) if (_lb.ContainsKey(instance)) _lb[instance] = "maint";
        await Record($"drain {instance}");
    }

    public async Task ReadyAsync(string instance, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lb) _lb[instance] = "ready";
        await Record($"ready {instance}");
    }

    public async Task RemoveAsync(string instance, TimeSpan timeout, CancellationToken ct)
    {
        lock (_lb) _lb.Remove(instance);
        await Record($"remove {instance}");
    }

    public Task<HealthVerdict> ProbeAsync(string address, HealthCheckDefinition check, CancellationToken ct)
    {
        var slot = int.Parse(address[4..], System.Globalization.CultureInfo.InvariantCulture);
        ObservedInstance? o;
        lock (_instances) _instances.TryGetValue(slot, out o);
        var healthy = o is not null && !UnhealthyImages.Contains(o.Image);
        return Task.FromResult(new HealthVerdict(healthy, healthy ? $"GET {check.Path} → 200" : $"GET {check.Path} → 503"));
    }
}
