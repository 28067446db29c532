using Pipeline.Tools.S3;
using System.Text;

namespace Pipeline.Deploying.Locking;

/// <summary>
/// The deploy lock of cloud groups: one S3 object at <paramref name="key"/>, read by every deployer and by other jobs
/// (scalers, backups) that must see IN_DEPLOY. s3rver 3.7.1 ignores <c>If-None-Match: *</c> and <c>If-Match</c> on PUT
/// (S3rverConditionalWriteTests shows it), so conditional writes alone cannot be trusted: every change is a
/// compare-and-swap made inside a <see cref="ClaimTurns"/> turn, which needs only S3's strong consistency. The write
/// itself still carries <c>If-None-Match: *</c> (create) or <c>If-Match: &lt;ETag read in the turn&gt;</c> (replace):
/// a second guard where the store honours them (S3, MinIO, Ceph), should a turn outlive its lease.
/// </summary>
public sealed class ObjectStoreLockStore(IConditionalObjectStore store, string key, string describe) : ILockStore
{
    private readonly ClaimTurns _turns = new(store, key);

    public string Location => $"{describe}/{key}";

    // Each change first looks without a turn, before each attempt: when it would fail anyway (the lock exists, or is no
    // longer the expected content), it fails at once, so racers that lost take no turn.
    public Task<bool> TryCreateAsync(string content, CancellationToken ct) =>
        _turns.RunAsync(
            async look => await store.GetVersionedAsync(key, look) is null,
            async turn =>
                await store.GetVersionedAsync(key, turn) is null
                && await store.PutIfAsync(key, Encoding.UTF8.GetBytes(content), WritePrecondition.Absent, turn),
            ct
        );

    public async Task<string?> ReadAsync(CancellationToken ct) =>
        await store.GetVersionedAsync(key, ct) is { } current ? Encoding.UTF8.GetString(current.Content) : null;

    public Task<bool> TryReplaceAsync(string expected, string content, CancellationToken ct) =>
        _turns.RunAsync(
            async look => await ReadAsync(look) == expected,
            async turn =>
            {
                if (await store.GetVersionedAsync(key, turn) is not { } current || Encoding.UTF8.GetString(current.Content) != expected)
                    return false;
                var bytes = Encoding.UTF8.GetBytes(content);
                if (current.ETag is { } etag)
                    return await store.PutIfAsync(key, bytes, WritePrecondition.Matching(etag), turn);
                await store.PutAsync(key, bytes, turn);
                return true;
            },
            ct
        );

    public Task<bool> TryDeleteAsync(string expected, CancellationToken ct) =>
        _turns.RunAsync(
            async look => await ReadAsync(look) == expected,
            async turn =>
            {
                if (await store.GetVersionedAsync(key, turn) is not { } current || Encoding.UTF8.GetString(current.Content) != expected)
                    return false;
                await store.DeleteAsync(key, turn);
                return true;
            },
            ct
        );
}
