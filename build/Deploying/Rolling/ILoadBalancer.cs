namespace Pipeline.Deploying.Rolling;

/// <summary>Membership and traffic of a group's instances in its load balancer, by instance name.</summary>
public interface ILoadBalancer
{
    /// <summary>Instance names the load balancer knows, and whether each receives traffic now.</summary>
    Task<IReadOnlyDictionary<string, bool>> MembersAsync(CancellationToken ct);
    /// <summary>Makes the instance a member at that address, out of traffic (maintenance) until <see cref="ReadyAsync"/>.</summary>
    Task EnsureMemberAsync(string instance, string address, CancellationToken ct);
    /// <summary>Stops new traffic, waits for sessions to end (or the timeout), then takes the instance out (maintenance).</summary>
    Task DrainAsync(string instance, TimeSpan timeout, CancellationToken ct);
    Task ReadyAsync(string instance, CancellationToken ct);
    /// <summary>Drains the instance and removes it from the load balancer.</summary>
    Task RemoveAsync(string instance, TimeSpan timeout, CancellationToken ct);
}

/// <summary>A group without a load balancer: nothing to drain.</summary>
public sealed class NoLoadBalancer : ILoadBalancer
{
    public Task<IReadOnlyDictionary<string, bool>> MembersAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, bool>>(new Dictionary<string, bool>());
    public Task EnsureMemberAsync(string instance, string address, CancellationToken ct) => Task.CompletedTask;
    public Task DrainAsync(string instance, TimeSpan timeout, CancellationToken ct) => Task.CompletedTask;
    public Task ReadyAsync(string instance, CancellationToken ct) => Task.CompletedTask;
    public Task RemoveAsync(string instance, TimeSpan timeout, CancellationToken ct) => Task.CompletedTask;
}
