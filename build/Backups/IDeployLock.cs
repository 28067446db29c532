using Pipeline.Engine;

namespace Pipeline.Backups;

/// <summary>
/// The hook through which Backup (<c>--wait-for-deploy-lock</c>) waits while a deploy of the same environment holds
/// its lock: <see cref="DeployLockWatch"/> reads Deploy's own lock store; <see cref="NoDeployLock"/> never waits.
/// </summary>
public interface IDeployLock
{
    /// <summary>Who holds the deploy lock now (one line, for the log and the error), or null when it is free.</summary>
    Task<string?> HolderAsync(CancellationToken ct);
}

public sealed class NoDeployLock : IDeployLock
{
    public static readonly NoDeployLock Instance = new();
    public Task<string?> HolderAsync(CancellationToken ct) => Task.FromResult<string?>(null);
}

public static class DeployLockWaiting
{
    /// <summary>Returns once the lock is free (or stale); after <paramref name="limit"/> fails with one line naming the holder.</summary>
    public static async Task WaitAsync(IDeployLock deployLock, TimeSpan limit, CancellationToken ct, TimeSpan? poll = null)
    {
        var started = DateTimeOffset.UtcNow;
        var announced = DateTimeOffset.MinValue;
        while (await deployLock.HolderAsync(ct) is { } holder)
        {
            var now = DateTimeOffset.UtcNow;
            if (now - started >= limit)
                throw new PipelineException(
                    $"Backup waited {Describe(limit)} for the deploy lock, still held by {holder}; back up later or raise "
                    + $"--backup-lock-wait."
                );
            if (now - announced >= TimeSpan.FromSeconds(30))
            {
                Log.Information($"Waiting: a deploy holds the lock ({holder}).");
                announced = now;
            }
            await Task.Delay(poll ?? TimeSpan.FromSeconds(1), ct);
        }
        if (announced != DateTimeOffset.MinValue) Log.Information("The deploy lock is free: backing up.");
    }

    private static string Describe(TimeSpan span) => span.TotalMinutes >= 1 && span.Seconds == 0
        ? $"{span.TotalMinutes:0}m" : $"{span.TotalSeconds:0.#}s";
}
