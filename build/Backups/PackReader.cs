using Pipeline.Tools.S3;
using System.Buffers;

namespace Pipeline.Backups;

/// <summary>
/// Reads wanted contents out of one pack in a single streamed GET, front to back: each is handed over whole (or, if
/// the stored pack is shorter than its index says, as far as it goes, so its hash shows the damage).
/// </summary>
public static class PackReader
{
    /// <param name="each">Gets each wanted content, its bytes and what they hash to (its name when intact).</param>
    /// <returns>False when the pack does not exist.</returns>
    public static async Task<bool> ReadAsync(IObjectStore store, string pack, IEnumerable<PackedBlob> wanted,
        Func<PackedBlob, ReadOnlyMemory<byte>, string, CancellationToken, ValueTask> each, CancellationToken ct)
    {
        await using var body = await store.GetAsync(RepositoryLayout.Pack(pack), ct);
        if (body is null) return false;
        long position = 0;
        var skip = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            foreach (var blob in wanted.OrderBy(b => b.Offset).ThenBy(b => b.Size)) // an empty content shares its offset with the next
            {
                while (position < blob.Offset)
                {
                    var read = await body.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, blob.Offset - position)), ct);
                    if (read == 0) break;
                    position += read;
                }
                var buffer = ArrayPool<byte>.Shared.Rent((int)blob.Size);
                try
                {
                    var got =
                        position == blob.Offset
                            ? await body.ReadAtLeastAsync(buffer.AsMemory(0, (int)blob.Size), (int)blob.Size, throwOnEndOfStream: false, ct)
                            : 0;
                    position += got;
                    var bytes = buffer.AsMemory(0, got);
                    await each(blob, bytes, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.Span)), ct);
                }
                finally { ArrayPool<byte>.Shared.Return(buffer); }
            }
        }
        finally { ArrayPool<byte>.Shared.Return(skip); }
        return true;
    }
}
