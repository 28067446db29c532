using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>A piece of a stored stream that is missing or does not hash to its name; <see cref="Key"/> is its object.</summary>
public sealed class DamagedPieceException(string key, string message) : PipelineException(message)
{
    public string Key { get; } = key;
}

/// <summary>A stream as stored: its pieces in order (each a content of the repository), its length and its SHA-256.</summary>
public sealed record StoredPieces(IReadOnlyList<Hashed> Pieces, long Size, string Sha256, int UploadedPieces, long UploadedBytes);

/// <summary>
/// A stream of unknown length (a pg_dump) into the content store and back, never through a file on disk: it is cut into
/// pieces of <see cref="PieceSize"/> bytes, each hashed in memory and stored as a content of its own unless the repository
/// holds it already (so an unchanged piece is never sent twice); a few pieces are in flight at a time. Reading it back
/// checks every piece's SHA-256 before its bytes are passed on. The pieces are fixed-size for now: content-defined chunks
/// (issue #23, item 3) can replace <see cref="CutAsync"/> without changing what a snapshot records.
/// </summary>
public sealed class StreamedContent(IObjectStore store, ContentNaming naming, int inFlight = 3)
{
    /// <summary>Above <see cref="PackWriter.MaxPackedSize"/> (a piece is an object of its own, not packed) and below
    /// <see cref="ContentStore.InMemoryLimit"/> (it is sent from memory in one request).</summary>
    public const int PieceSize = 8 << 20;

    private readonly ContentStore _content = new(store, naming);

    /// <summary>Reads <paramref name="source"/> to its end, storing what the repository lacks.</summary>
    public async Task<StoredPieces> StoreAsync(Stream source, CancellationToken ct)
    {
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var pieces = new List<Hashed>();
        var pending = new List<Task<long>>();
        long size = 0, uploadedBytes = 0;
        var uploaded = 0;
        await foreach (var piece in CutAsync(source, ct))
        {
            whole.AppendData(piece.Span);
            size += piece.Length;
            var sha = Convert.ToHexStringLower(SHA256.HashData(piece.Span));
            pieces.Add(new Hashed(sha, piece.Length));
            pending.Add(StoreIfMissingAsync(sha, piece, ct));
            if (pending.Count >= inFlight) Count(await Next(pending));
        }
        while (pending.Count > 0) Count(await Next(pending));
        return new StoredPieces(pieces, size, Convert.ToHexStringLower(whole.GetHashAndReset()), uploaded, uploadedBytes);

        void Count(long sent)
        {
            if (sent == 0) return;
            uploaded++;
            uploadedBytes += sent;
        }
    }

    /// <summary>Writes the pieces to <paramref name="destination"/> in order, each checked against its SHA-256 first; a missing
    /// or corrupt piece stops it with <see cref="DamagedPieceException"/> naming the object (nothing of that piece is written).</summary>
    public async Task CopyToAsync(IReadOnlyList<Hashed> pieces, Stream destination, string description, CancellationToken ct)
    {
        foreach (var piece in pieces)
        {
            var key = _content.KeyOf(piece.Sha256);
            await using var body = await store.GetContentAsync(key, ct)
                ?? throw new DamagedPieceException(key,
                    $"{description}: its piece {piece.Sha256} is missing from the store (no object {key})");
            var bytes = new byte[piece.Size];
            var read = await body.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, ct);
            var extra = read == bytes.Length && await body.ReadAsync(new byte[1], ct) > 0;
            var actual = read == bytes.Length && !extra ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null;
            if (actual != piece.Sha256)
                throw new DamagedPieceException(key, $"{description}: its stored piece {key} is corrupt ("
                    + (actual is null ? $"not {piece.Size:N0} bytes long" : $"content hashes to {actual}") + ")");
            await destination.WriteAsync(bytes, ct);
        }
    }

    private async Task<long> StoreIfMissingAsync(string sha, ReadOnlyMemory<byte> piece, CancellationToken ct)
    {
        if (await _content.ExistsAsync(sha, piece.Length, ct)) return 0;
        await _content.PutAsync(sha, piece, ct);
        return piece.Length;
    }

    private static async Task<long> Next(List<Task<long>> pending)
    {
        var done = await Task.WhenAny(pending);
        pending.Remove(done);
        return await done;
    }

    /// <summary>The stream in pieces of <see cref="PieceSize"/> bytes (the last one shorter), each a buffer of its own.</summary>
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> CutAsync(
        Stream source,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct
    )
    {
        while (true)
        {
            var buffer = new byte[PieceSize];
            var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            if (read == 0) yield break;
            yield return buffer.AsMemory(0, read);
            if (read < buffer.Length) yield break;
        }
    }
}
