using Pipeline.Deploying.Planning;

namespace Pipeline.Deploying.Rolling;

/// <summary>
/// Where a docker or ssh group's instances run. The rolling engine decides what to replace and when; a provider
/// only lists, starts and stops instances (one slot each) and reports the address they answer on.
/// </summary>
public interface IInstanceProvider
{
    string Describe { get; }
    Task<IReadOnlyList<ObservedInstance>> ListAsync(CancellationToken ct);
    /// <summary>Starts the instance in its slot (a stopped leftover in that slot is removed first).</summary>
    Task<ObservedInstance> StartAsync(DesiredInstance instance, CancellationToken ct);
    /// <summary>Stops gracefully (SIGTERM, then SIGKILL after <paramref name="grace"/>) and removes the instance.</summary>
    Task StopAsync(ObservedInstance instance, TimeSpan grace, CancellationToken ct);
}
