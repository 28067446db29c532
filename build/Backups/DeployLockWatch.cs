using Pipeline.Deploying.Locking;
using Pipeline.Engine;

namespace Pipeline.Backups;

/// <summary>
/// Backup's read-only view of Deploy's lock of an environment: the same <see cref="ILockStore"/> Deploy takes it in
/// (a file on the docker host, a file on the first ssh host, or an S3 object), read with Deploy's own
/// <see cref="LockHolder"/> format and staleness rule. A stale or unreadable lock counts as free (Deploy would
/// take it over, too); Backup never takes, refreshes or removes the lock.
/// </summary>
public sealed class DeployLockWatch(ILockStore store, Func<DateTimeOffset>? clock = null) : IDeployLock
{
    private string? _reportedStale;

    public string Location => store.Location;

    public async Task<string?> HolderAsync(CancellationToken ct)
    {
        var json = await store.ReadAsync(ct);
        if (json is null) return null;
        var holder = LockHolder.FromJson(json);
        if (holder is null) return null;
        if (holder.StaleReason((clock ?? (() => DateTimeOffset.UtcNow))()) is { } stale)
        {
            if (_reportedStale != holder.Nonce)
                Log.Warning($"The deploy lock {store.Location} held by {holder.Describe} is stale ({stale}): not waiting for it.");
            _reportedStale = holder.Nonce;
            return null;
        }
        return $"{holder.Describe} (lock {store.Location}, nonce {holder.Nonce}, expires {holder.ExpiresAt:HH:mm:ss}Z)";
    }
}
