namespace Pipeline.Backups;

/// <summary>
/// The hook through which Backup waits while a deploy holds the environment's lock. Deploy locks do not exist yet
/// (the Deploy capability will implement this interface over its lock object); until then
/// <see cref="NoDeployLock"/> is used and Backup never waits.
/// </summary>
public interface IDeployLock
{
    /// <summary>Who holds the deploy lock now (for the log), or null when it is free.</summary>
    Task<string?> HolderAsync(CancellationToken ct);
}

public sealed class NoDeployLock : IDeployLock
{
    public static readonly NoDeployLock Instance = new();
    public Task<string?> HolderAsync(CancellationToken ct) => Task.FromResult<string?>(null);
}

public static class DeployLockWaiting
{
    public static async Task WaitAsync(IDeployLock deployLock, TimeSpan limit, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        while (await deployLock.HolderAsync(ct) is { } holder)
        {
            if (DateTimeOffset.UtcNow - started > limit)
                throw new Engine.PipelineException($"The deploy lock is still held by {holder} after {limit.TotalMinutes:0} minutes; back up later.");
            Engine.Log.Information($"Waiting: a deploy holds the lock ({holder}).");
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
        }
    }
}
