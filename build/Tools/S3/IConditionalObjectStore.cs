namespace Pipeline.Tools.S3;

/// <summary>
/// Objects read with their ETag and written only if a precondition holds: <c>If-None-Match: *</c> (create only) or
/// <c>If-Match: &lt;ETag&gt;</c> (replace only that version). Real S3 (since 2024), MinIO and Ceph refuse a write whose
/// precondition fails with 412 (or 409 when a concurrent conditional write won); s3rver 3.7.1 ignores both headers and
/// writes anyway, so callers must not rely on them alone (see <c>Deploying.Locking.ObjectStoreLockStore</c>).
/// </summary>
public interface IConditionalObjectStore : IObjectStore
{
    /// <summary>The whole object and its ETag, or null when there is none.</summary>
    Task<VersionedObject?> GetVersionedAsync(string key, CancellationToken ct);

    /// <summary>Writes the object if <paramref name="precondition"/> holds; false when the store refused it (412/409).</summary>
    Task<bool> PutIfAsync(string key, ReadOnlyMemory<byte> content, WritePrecondition precondition, CancellationToken ct);
}

/// <param name="ETag">As the store sent it, quotes included; null if it sent none.</param>
public sealed record VersionedObject(byte[] Content, string? ETag);

/// <summary>One conditional-write header: <see cref="Absent"/> is <c>If-None-Match: *</c>, <see cref="Matching"/> is
/// <c>If-Match</c>.</summary>
public sealed record WritePrecondition(string Header, string Value)
{
    public static readonly WritePrecondition Absent = new("If-None-Match", "*");
    public static WritePrecondition Matching(string etag) => new("If-Match", etag);
}
