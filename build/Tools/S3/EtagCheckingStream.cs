using Pipeline.Engine;
using System.Security.Cryptography;

namespace Pipeline.Tools.S3;

/// <summary>
/// A stored object whose bytes no longer match the checksum the store keeps for it (a flipped bit on the server's
/// disk): the object is named, so a caller can say what uses it.
/// </summary>
public sealed class DamagedObjectException(string location, string etag, string actualMd5)
    : PipelineException(
        $"{location} is corrupt: its bytes hash (MD5) to {actualMd5}, not to the ETag {etag} the store keeps for it; restore it from "
        + $"another copy, or delete it and write it again."
    );

/// <summary>
/// The body of a GET, checked against the object's ETag when that is the MD5 of the content (a single PUT, no
/// SSE-KMS or SSE-C): the AWS SDK does the same check, but throws a bare "Expected hash not equal to calculated hash"
/// from inside the read that reaches the last byte, so a reader that stops exactly there never gets those bytes and
/// nobody learns which object it was. Here the check runs when a read finds the end (returns 0), after every byte was
/// handed over, and fails with <see cref="DamagedObjectException"/> naming the object. A reader that stops before the
/// end (a pack read up to its last wanted content) checks its own hashes instead.
/// </summary>
public sealed class EtagCheckingStream : Stream
{
    private readonly Stream _inner;
    private readonly IncrementalHash? _md5;
    private readonly string? _etag;
    private readonly Func<string, string, DamagedObjectException> _damaged;
    private bool _checked;

    /// <param name="etag">The ETag as served (quoted or not); no check when it is not an MD5 (multipart, encrypted).</param>
    /// <param name="damaged">Makes the error from the ETag and the actual MD5.</param>
    public EtagCheckingStream(Stream inner, string? etag, bool encrypted, long length, Func<string, string, DamagedObjectException> damaged)
    {
        _inner = inner;
        Length = length;
        _damaged = damaged;
        var trimmed = etag?.Trim('"');
        if (!encrypted && trimmed is { Length: 32 } && trimmed.All(Uri.IsHexDigit))
        {
            _etag = trimmed.ToLowerInvariant();
            _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length { get; }
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Seen(buffer.AsSpan(offset, _inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var read = await _inner.ReadAsync(buffer, ct);
        return Seen(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private int Seen(ReadOnlySpan<byte> read)
    {
        if (_md5 is null || _checked) return read.Length;
        if (read.Length > 0) { _md5.AppendData(read); return read.Length; }
        _checked = true;
        var actual = Convert.ToHexStringLower(_md5.GetHashAndReset());
        if (actual != _etag) throw _damaged(_etag!, actual);
        return 0;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _md5?.Dispose(); _inner.Dispose(); }
        base.Dispose(disposing);
    }
}
