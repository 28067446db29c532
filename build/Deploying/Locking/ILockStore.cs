namespace Pipeline.Deploying.Locking;

/// <summary>
/// Where a deploy lock lives (a file on this machine or on an ssh host, an S3 object). Every change is atomic and
/// conditional: created only if absent, replaced or removed only if its content is still exactly what the caller
/// last read (compare-and-swap; every content carries a fresh nonce and expiry, so equal content is the same version).
/// A stale lock is therefore taken over by one replace that only one racer can win, never by delete-then-create.
/// Reads need no coordination: a reader sees a whole content or none (or, on a store that writes in place, a torn one
/// that no compare-and-swap will match).
/// </summary>
public interface ILockStore
{
    string Location { get; }
    /// <summary>Creates the lock with <paramref name="content"/>; false if there is one already.</summary>
    Task<bool> TryCreateAsync(string content, CancellationToken ct);
    /// <summary>The lock's content, or null when there is none.</summary>
    Task<string?> ReadAsync(CancellationToken ct);
    /// <summary>Replaces the lock's content only if it is still <paramref name="expected"/>; false if it changed or is gone.</summary>
    Task<bool> TryReplaceAsync(string expected, string content, CancellationToken ct);
    /// <summary>Removes the lock only if its content is still <paramref name="expected"/>; false if it changed or is gone.</summary>
    Task<bool> TryDeleteAsync(string expected, CancellationToken ct);
}
