using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Tools.Haproxy;

namespace Pipeline.Deploying.Haproxy;

/// <summary>
/// A group's backend in HAProxy, driven through the runtime API: servers are named like the instances, added with
/// <c>add server</c> (in maintenance), set <c>ready</c> after the health gate, <c>drain</c>ed before a stop.
/// </summary>
public sealed class HaproxyLoadBalancer(HaproxyRuntimeApi api, string backend, string? checkPath, TimeSpan checkInterval) : ILoadBalancer
{
    public async Task<IReadOnlyDictionary<string, bool>> MembersAsync(CancellationToken ct) =>
        (await api.ServersAsync(backend, ct)).ToDictionary(s => s.Name, s => s.IsServing);

    public async Task EnsureMemberAsync(string instance, string address, CancellationToken ct)
    {
        var current = (await api.ServersAsync(backend, ct)).FirstOrDefault(s => s.Name == instance);
        if (current is null)
        {
            await api.ExecuteAsync(HaproxyCommands.AddServer(backend, instance, address, checkPath, checkInterval), ct);
            if (checkPath is not null) await api.ExecuteAsync(HaproxyCommands.EnableHealth(backend, instance), ct);
            Log.Information($"  {instance}: added to HAProxy {backend} ({address}, in maintenance)");
            return;
        }
        if (!current.IsMaint) await api.ExecuteAsync(HaproxyCommands.SetState(backend, instance, ServerAdminState.Maint), ct);
        if (current.Address is { } a && a != address) await api.ExecuteAsync(HaproxyCommands.SetAddress(backend, instance, address), ct);
    }

    public async Task DrainAsync(string instance, TimeSpan timeout, CancellationToken ct)
    {
        var servers = await api.ServersAsync(backend, ct);
        if (servers.All(s => s.Name != instance)) return;
        await api.ExecuteAsync(HaproxyCommands.SetState(backend, instance, ServerAdminState.Drain), ct);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var sessions = (await api.ServersAsync(backend, ct)).FirstOrDefault(s => s.Name == instance)?.CurrentSessions ?? 0;
            if (sessions == 0) break;
            if (DateTime.UtcNow > deadline)
            {
                Log.Warning(
                    $"  {instance}: {sessions} session(s) still open after the drain timeout ({timeout.TotalSeconds:0}s); taking it out "
                    + $"anyway"
                );
                break;
            }
            await Task.Delay(100, ct);
        }
        await api.ExecuteAsync(HaproxyCommands.SetState(backend, instance, ServerAdminState.Maint), ct);
    }

    public Task ReadyAsync(string instance, CancellationToken ct) =>
        api.ExecuteAsync(HaproxyCommands.SetState(backend, instance, ServerAdminState.Ready), ct);

    public async Task RemoveAsync(string instance, TimeSpan timeout, CancellationToken ct)
    {
        if ((await api.ServersAsync(backend, ct)).All(s => s.Name != instance)) return;
        await DrainAsync(instance, timeout, ct);
        // A server with idle pooled connections cannot be deleted yet; HAProxy closes them shortly after maintenance.
        var deadline = DateTime.UtcNow + timeout + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                await api.ExecuteAsync(HaproxyCommands.DelServer(backend, instance), ct);
                Log.Information($"  {instance}: deleted from HAProxy {backend}");
                return;
            }
            // "Server still has connections attached to it": retried; any other refusal, or no answer at all, fails at once.
            catch (HaproxyRefusedException e)
                when (e.Answer.Contains("connection", StringComparison.OrdinalIgnoreCase) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
        }
    }
}
