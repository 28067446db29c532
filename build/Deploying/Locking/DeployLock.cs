using Pipeline.Engine;

namespace Pipeline.Deploying.Locking;

/// <summary>
/// The deploy lock of one environment. Taken by creating the store's object only if absent; refreshed every TTL/3
/// while the deploy runs; a stale one (TTL passed, or its process gone on this host) is taken over with a log line;
/// another live holder refuses the deploy, naming the holder, unless it ends within <c>--lock-wait</c>.
/// </summary>
public sealed class DeployLock : IAsyncDisposable
{
    private readonly ILockStore _store;
    private readonly TimeSpan _ttl;
    private readonly CancellationTokenSource _stop = new();
    private LockHolder _holder;
    private Task? _refresher;

    private DeployLock(ILockStore store, LockHolder holder, TimeSpan ttl) => (_store, _holder, _ttl) = (store, holder, ttl);

    public LockHolder Holder => _holder;

    public static async Task<DeployLock> AcquireAsync(ILockStore store, string environment, string version, TimeSpan ttl, TimeSpan wait, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + wait;
        var announced = false;
        while (true)
        {
            var me = LockHolder.Me(environment, version, ttl, DateTimeOffset.UtcNow);
            if (await store.TryCreateAsync(me.ToJson(), ct))
            {
                var held = new DeployLock(store, me, ttl);
                held._refresher = held.RefreshLoopAsync();
                Log.Information($"Deploy lock of {environment} taken ({store.Location}, nonce {me.Nonce}).");
                return held;
            }
            var other = LockHolder.FromJson(await store.ReadAsync(ct));
            if (other is null)
            {
                Log.Warning($"Deploy lock {store.Location} is unreadable; taking it over.");
                await store.DeleteAsync(ct);
                continue;
            }
            if (other.StaleReason(DateTimeOffset.UtcNow) is { } stale)
            {
                Log.Warning($"Taking over the stale deploy lock of {environment} held by {other.Describe}: {stale}.");
                await store.DeleteAsync(ct);
                continue;
            }
            if (DateTimeOffset.UtcNow >= deadline)
                throw new PipelineException(
                    $"{environment} is locked: being deployed by {other.Describe} (lock {store.Location}, expires {other.ExpiresAt:HH:mm:ss}Z, nonce {other.Nonce}). " +
                    "Wait with --lock-wait <duration>, or if it is stale: ./build.sh Unlock --force " + other.Nonce);
            if (!announced) Log.Information($"Waiting for the deploy lock of {environment}, held by {other.Describe}…");
            announced = true;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>Unlock --force: removes the lock only when the nonce matches (so a lock taken since is not removed by mistake).</summary>
    public static async Task<LockHolder> ForceRemoveAsync(ILockStore store, string nonce, CancellationToken ct)
    {
        var holder = LockHolder.FromJson(await store.ReadAsync(ct)) ?? throw new PipelineException($"There is no deploy lock at {store.Location}.");
        if (holder.Nonce != nonce) throw new PipelineException($"The lock at {store.Location} has nonce {holder.Nonce}, not {nonce}: it is held by {holder.Describe}.");
        await store.DeleteAsync(ct);
        return holder;
    }

    private async Task RefreshLoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_ttl / 3, _stop.Token);
                var current = LockHolder.FromJson(await _store.ReadAsync(_stop.Token));
                if (current?.Nonce != _holder.Nonce)
                {
                    Log.Error($"The deploy lock {_store.Location} was taken by someone else ({current?.Describe ?? "removed"}).");
                    return;
                }
                _holder = _holder with { ExpiresAt = DateTimeOffset.UtcNow + _ttl };
                await _store.ReplaceAsync(_holder.ToJson(), _stop.Token);
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_refresher is not null) await _refresher;
        var current = LockHolder.FromJson(await _store.ReadAsync(CancellationToken.None));
        if (current?.Nonce == _holder.Nonce) await _store.DeleteAsync(CancellationToken.None);
        _stop.Dispose();
    }
}
