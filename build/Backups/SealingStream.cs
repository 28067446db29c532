using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// Reads a content front to back and hands out its sealed form (<see cref="SealedFormat"/>), a segment at a time: what
/// a large file streams up through. Reports the sealed length of the content's length (the S3 store chooses multipart
/// by it) but cannot seek. The content stream is not disposed with it.
/// </summary>
internal sealed class SealingStream(Stream plain, string name, ObjectKey key) : Stream
{
    private readonly AesGcm _aes = new(key.Key, SealedFormat.TagSize);
    private readonly byte[] _ad = SealedFormat.AssociatedData(name, key.Header);
    private readonly byte[] _input = new byte[SealedFormat.SegmentSize + 1];
    private readonly byte[] _output = new byte[SealedFormat.SegmentSize + SealedFormat.TagSize];
    private int _inputCount, _outputStart, _outputEnd;
    private long _segment, _position;
    private bool _headerSent, _done;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => SealedFormat.SealedLength(plain.Length);
    public override long Position { get => _position; set => throw new NotSupportedException("read once, front to back"); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (!_headerSent)
        {
            key.Header.CopyTo(_output, 0);
            (_outputStart, _outputEnd, _headerSent) = (0, SealedFormat.HeaderSize, true);
        }
        if (_outputStart == _outputEnd && !_done) await NextSegmentAsync(ct);
        var n = Math.Min(buffer.Length, _outputEnd - _outputStart);
        _output.AsMemory(_outputStart, n).CopyTo(buffer);
        _outputStart += n;
        _position += n;
        return n;
    }

    /// <summary>Reads one byte past the segment: only then is it known whether the segment is the last.</summary>
    private async Task NextSegmentAsync(CancellationToken ct)
    {
        var wanted = _input.Length - _inputCount;
        _inputCount += await plain.ReadAtLeastAsync(_input.AsMemory(_inputCount), wanted, throwOnEndOfStream: false, ct);
        var last = _inputCount <= SealedFormat.SegmentSize;
        var length = Math.Min(_inputCount, SealedFormat.SegmentSize);
        Span<byte> nonce = stackalloc byte[12];
        SealedFormat.Nonce(nonce, _segment++, last);
        _aes.Encrypt(nonce, _input.AsSpan(0, length), _output.AsSpan(0, length), _output.AsSpan(length, SealedFormat.TagSize), _ad);
        (_outputStart, _outputEnd) = (0, length + SealedFormat.TagSize);
        if (last) _done = true;
        else
        {
            _input[0] = _input[SealedFormat.SegmentSize];
            _inputCount = 1;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("read once, front to back");
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _aes.Dispose(); // the content stream stays open: its owner may still ask it (a hash of what was read)
        base.Dispose(disposing);
    }
}
