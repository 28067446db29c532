using Pipeline.Engine;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// The content of a sealed object (<see cref="SealedFormat"/>), read from its body after the header: each segment is
/// authenticated before any of its bytes are handed over, and the end must be the segment sealed as the last one, so
/// a changed, missing or cut-off byte fails with <see cref="TamperedObjectException"/> naming the object.
/// </summary>
internal sealed class OpeningStream(Stream body, string name, ObjectKey key) : Stream
{
    private const int Sealed = SealedFormat.SegmentSize + SealedFormat.TagSize;
    private readonly AesGcm _aes = new(key.Key, SealedFormat.TagSize);
    private readonly byte[] _ad = SealedFormat.AssociatedData(name, key.Header);
    private readonly byte[] _input = new byte[Sealed + 1];
    private readonly byte[] _output = new byte[SealedFormat.SegmentSize];
    private int _inputCount, _outputStart, _outputEnd;
    private long _segment, _position;
    private bool _done;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (_outputStart == _outputEnd)
        {
            if (_done) return 0;
            await NextSegmentAsync(ct);
        }
        var n = Math.Min(buffer.Length, _outputEnd - _outputStart);
        _output.AsMemory(_outputStart, n).CopyTo(buffer);
        _outputStart += n;
        _position += n;
        return n;
    }

    private async Task NextSegmentAsync(CancellationToken ct)
    {
        var wanted = _input.Length - _inputCount;
        _inputCount += await body.ReadAtLeastAsync(_input.AsMemory(_inputCount), wanted, throwOnEndOfStream: false, ct);
        var last = _inputCount <= Sealed;
        var length = Math.Min(_inputCount, Sealed) - SealedFormat.TagSize;
        if (length < 0) throw TamperedObjectException.Truncated(name);
        Span<byte> nonce = stackalloc byte[12];
        SealedFormat.Nonce(nonce, _segment, last);
        try
        {
            _aes.Decrypt(nonce, _input.AsSpan(0, length), _input.AsSpan(length, SealedFormat.TagSize), _output.AsSpan(0, length), _ad);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new TamperedObjectException(name, $"segment {_segment} (bytes from {SealedFormat.HeaderSize + _segment * Sealed})");
        }
        _segment++;
        (_outputStart, _outputEnd) = (0, length);
        if (last) _done = true;
        else
        {
            _input[0] = _input[Sealed];
            _inputCount = 1;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            body.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _aes.Dispose();
        await body.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>A sealed object that fails authentication: changed, truncated, or stored under another name.</summary>
public sealed class TamperedObjectException(string name, string where)
    : PipelineException(
        $"{name} failed authentication at {where}: it was changed, truncated or put there under another name; restore it from "
        + $"another copy of the repository, or remove the snapshots that use it (./build.sh VerifyBackups lists them)."
    )
{
    public static TamperedObjectException Truncated(string name) => new(name, "its end (it is truncated)");
}

/// <summary>A sealed object this host cannot open: a write-only host holds only the operators' public key.</summary>
public sealed class SealedForOthersException(string name, string why)
    : PipelineException($"{name} cannot be read here: {why}.");
