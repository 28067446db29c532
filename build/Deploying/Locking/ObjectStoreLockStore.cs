using System.Text;
using Pipeline.Tools.S3;

namespace Pipeline.Deploying.Locking;

/// <summary>
/// The deploy lock of cloud groups: an S3 object created with a conditional write (<c>If-None-Match: *</c>), read by
/// every deployer and by other jobs (scalers, backups) that must see IN_DEPLOY.
/// </summary>
public sealed class ObjectStoreLockStore(IObjectStore store, string key, string describe) : ILockStore
{
    public string Location => $"{describe}/{key}";

    public Task<bool> TryCreateAsync(string content, CancellationToken ct) => store.PutIfAbsentAsync(key, Encoding.UTF8.GetBytes(content), ct);

    public async Task<string?> ReadAsync(CancellationToken ct)
    {
        await using var stream = await store.GetAsync(key, ct);
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }

    public Task ReplaceAsync(string content, CancellationToken ct) => store.PutAsync(key, Encoding.UTF8.GetBytes(content), ct);

    public Task DeleteAsync(CancellationToken ct) => store.DeleteAsync(key, ct);
}
