using Pipeline.Engine;

namespace Pipeline.Deploying.Locking;

/// <summary>
/// The deploy lock of one environment. Taken by creating the store's lock only if absent; a stale one (TTL passed, or
/// its process gone on this host) or an unreadable one is taken over by a compare-and-swap from the exact content read,
/// which one racer alone can win; another live holder refuses the deploy, naming the holder, unless it ends within
/// <c>--lock-wait</c>. While held it is renewed, again by compare-and-swap, every TTL/3 and before each batch
/// (<see cref="EnsureHeldAsync"/>: fencing); once it is found taken or removed, the deploy stops with
/// <see cref="DeployLockLostException"/>.
/// </summary>
public sealed class DeployLock : IAsyncDisposable
{
    private readonly ILockStore _store;
    private readonly TimeSpan _ttl;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private LockHolder _holder;
    private string _content;
    private string? _lost;
    private Task? _refresher;
    private bool _disposed;

    private DeployLock(ILockStore store, LockHolder holder, string content, TimeSpan ttl) =>
        (_store, _holder, _content, _ttl) = (store, holder, content, ttl);

    public LockHolder Holder => _holder;

    public static async Task<DeployLock> AcquireAsync(
        ILockStore store,
        string environment,
        string version,
        TimeSpan ttl,
        TimeSpan wait,
        CancellationToken ct
    )
    {
        var deadline = DateTimeOffset.UtcNow + wait;
        var announced = false;
        while (true)
        {
            var me = LockHolder.Me(environment, version, ttl, DateTimeOffset.UtcNow);
            var mine = me.ToJson();
            if (await store.TryCreateAsync(mine, ct))
            {
                Log.Information($"Deploy lock of {environment} taken ({store.Location}, nonce {me.Nonce}).");
                return Held(store, me, mine, ttl);
            }
            var current = await store.ReadAsync(ct);
            if (current is null) continue; // released since: create again
            var other = LockHolder.FromJson(current);
            var stale = other is null ? "it is unreadable" : other.StaleReason(DateTimeOffset.UtcNow);
            if (stale is not null)
            {
                if (await store.TryReplaceAsync(current, mine, ct))
                {
                    Log.Warning(
                        $"Taking over the stale deploy lock of {environment}{(other is null ? "" : $" held by {other.Describe}")}: {stale}."
                    );
                    return Held(store, me, mine, ttl);
                }
                // it changed since read: another took it first, look again
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50)), ct);
                continue;
            }
            if (DateTimeOffset.UtcNow >= deadline)
                throw new PipelineException(
                    $"{environment} is locked: being deployed by {other!.Describe} (lock {store.Location}, expires "
                    + $"{other.ExpiresAt:HH:mm:ss}Z, nonce {other.Nonce}). "
                        + "Wait with --lock-wait <duration>, or if it is stale: ./build.sh Unlock --force "
                        + other.Nonce
                );
            if (!announced) Log.Information($"Waiting for the deploy lock of {environment}, held by {other!.Describe}…");
            announced = true;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private static DeployLock Held(ILockStore store, LockHolder me, string content, TimeSpan ttl)
    {
        var held = new DeployLock(store, me, content, ttl);
        held._refresher = held.RefreshLoopAsync();
        return held;
    }

    /// <summary>Unlock --force: removes the lock only when the nonce matches (so a lock taken since is not removed by mistake).</summary>
    public static async Task<LockHolder> ForceRemoveAsync(ILockStore store, string nonce, CancellationToken ct)
    {
        var current = await store.ReadAsync(ct);
        var holder = LockHolder.FromJson(current) ?? throw new PipelineException($"There is no deploy lock at {store.Location}.");
        if (holder.Nonce != nonce)
            throw new PipelineException(
                $"The lock at {store.Location} has nonce {holder.Nonce}, not {nonce}: it is held by {holder.Describe}."
            );
        if (!await store.TryDeleteAsync(current!, ct))
            throw new PipelineException(
                $"The lock at {store.Location} changed while being removed (renewed or taken over); look at it again before removing it."
            );
        return holder;
    }

    /// <summary>
    /// Fencing: renews the lock, only if it is still exactly this deploy's, and throws <see cref="DeployLockLostException"/>
    /// naming the new holder when it is not. The rolling engine calls it before each batch.
    /// </summary>
    public async Task EnsureHeldAsync(CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            if (_lost is not null) throw Lost();
            var next = _holder with { ExpiresAt = DateTimeOffset.UtcNow + _ttl };
            var json = next.ToJson();
            if (await _store.TryReplaceAsync(_content, json, ct))
            {
                (_holder, _content) = (next, json);
                return;
            }
            var current = await _store.ReadAsync(ct);
            for (var look = 1; current is not null && LockHolder.FromJson(current) is null && look <= 3; look++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct); // a store that writes in place (s3rver) can show a write half done
                current = await _store.ReadAsync(ct);
            }
            if (LockHolder.FromJson(current) is { } now && now.Nonce == _holder.Nonce)
            {
                (_holder, _content) = (now, current!); // our own write landed though its answer was lost
                return;
            }
            _lost = LockHolder.FromJson(current) is { } other ? $"taken by {other.Describe} (nonce {other.Nonce})"
                : current is null ? "removed (Unlock --force, or taken over and released since)" : "overwritten with unreadable content";
            Log.Error($"The deploy lock {_store.Location} of {_holder.Environment} was {_lost}.");
            throw Lost();
        }
        finally { _turn.Release(); }
    }

    private DeployLockLostException Lost() =>
        new(
            $"{_holder.Environment}: the deploy lock {_store.Location} was {_lost} while this deploy (nonce {_holder.Nonce}) held it; "
            + $"stopped before the next batch. "
                + "Another deploy owns the environment now: let it finish, then deploy again."
        );

    private async Task RefreshLoopAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_ttl / 3, _stop.Token);
                try
                {
                    await EnsureHeldAsync(_stop.Token);
                }
                catch (DeployLockLostException)
                {
                    return;
                }
                catch (PipelineException e)
                {
                    Log.Warning(
                        $"Could not renew the deploy lock {_store.Location} (trying again in {(_ttl / 3).TotalSeconds:0} s): {e.Message}"
                    );
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// A renewal cancelled by the release (or whose answer was lost) may have landed on the store all the same: the lock
    /// then still carries this deploy's nonce with a later expiry. Removes exactly that content; false when it is another's.
    /// </summary>
    private async Task<bool> ReleaseLandedRenewalAsync()
    {
        var current = await _store.ReadAsync(CancellationToken.None);
        return LockHolder.FromJson(current) is { } now
            && now.Nonce == _holder.Nonce
            && await _store.TryDeleteAsync(current!, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _stop.CancelAsync();
        if (_refresher is not null) await _refresher;
        if (_lost is null)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    if (!await _store.TryDeleteAsync(_content, CancellationToken.None) && !await ReleaseLandedRenewalAsync())
                        Log.Warning($"The deploy lock {_store.Location} was no longer this deploy's at its end; left as it is.");
                    break;
                }
                catch (PipelineException e) when (attempt < 3)
                {
                    Log.Warning($"Releasing the deploy lock {_store.Location} failed, trying again: {e.Message}");
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                catch (PipelineException e)
                {
                    Log.Warning(
                        $"Could not release the deploy lock {_store.Location} (it expires at {_holder.ExpiresAt:HH:mm:ss}Z): {e.Message}"
                    );
                    break;
                }
            }
        }
        _stop.Dispose();
        _turn.Dispose();
    }
}
