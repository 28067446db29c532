using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Backups;

/// <summary>
/// How an encrypted repository stores every object: a fixed 86-byte header (magic <c>PLBK</c>, version, mode, a random
/// 16-byte salt, and in write-only mode the ephemeral P-256 public point), then the content in segments of
/// <see cref="SegmentSize"/> bytes, each sealed with AES-256-GCM under a key of its own object (HKDF-SHA256 of the
/// repository's data key, or of the ECDH secret, with the salt). The nonce is the segment's number with a flag on the
/// last one, and the associated data is the object's name and header: a changed byte, a dropped or reordered segment,
/// a cut-off end, or an object copied under another name all fail authentication.
/// </summary>
public static class SealedFormat
{
    public const int SegmentSize = 1 << 20;
    public const int TagSize = 16;
    public const int SaltSize = 16;
    public const int PointSize = 64;
    public const int HeaderSize = 4 + 1 + 1 + SaltSize + PointSize;
    public const byte Version = 1;
    /// <summary>Sealed under the repository's data key (readable with a key slot).</summary>
    public const byte RepositoryMode = 1;
    /// <summary>Sealed for the operators' public key by a write-only host (readable with the operators' private key).</summary>
    public const byte PublicKeyMode = 2;
    private static ReadOnlySpan<byte> Magic => "PLBK"u8;

    public static int Segments(long plain) => plain == 0 ? 1 : (int)((plain + SegmentSize - 1) / SegmentSize);

    public static long SealedLength(long plain) => HeaderSize + plain + (long)TagSize * Segments(plain);

    /// <summary>The content length of a sealed object of <paramref name="sealedLength"/> bytes, or -1 when no content seals to
    /// that.</summary>
    public static long PlainLength(long sealedLength)
    {
        var body = sealedLength - HeaderSize;
        if (body < TagSize) return -1;
        var segments = (body + SegmentSize + TagSize - 1) / (SegmentSize + TagSize);
        var plain = body - TagSize * segments;
        return plain >= 0 && SealedLength(plain) == sealedLength ? plain : -1;
    }

    /// <summary>A header: the mode, a fresh salt, and the ephemeral point (zeros in repository mode).</summary>
    public static byte[] Header(byte mode, ReadOnlySpan<byte> point)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        header[4] = Version;
        header[5] = mode;
        RandomNumberGenerator.Fill(header.AsSpan(6, SaltSize));
        point.CopyTo(header.AsSpan(6 + SaltSize));
        return header;
    }

    /// <summary>The header's mode, or null when it is not a header of this format.</summary>
    public static byte? ModeOf(ReadOnlySpan<byte> header) =>
        header.Length >= HeaderSize && header[..4].SequenceEqual(Magic) && header[4] == Version
        && header[5] is RepositoryMode or PublicKeyMode ? header[5] : null;

    public static ReadOnlySpan<byte> Salt(ReadOnlySpan<byte> header) => header.Slice(6, SaltSize);
    public static ReadOnlySpan<byte> Point(ReadOnlySpan<byte> header) => header.Slice(6 + SaltSize, PointSize);

    /// <summary>What every segment of the object authenticates besides itself: its name and header.</summary>
    public static byte[] AssociatedData(string name, ReadOnlySpan<byte> header)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var ad = new byte[nameBytes.Length + 1 + HeaderSize];
        nameBytes.CopyTo(ad, 0);
        header[..HeaderSize].CopyTo(ad.AsSpan(nameBytes.Length + 1));
        return ad;
    }

    public static void Nonce(Span<byte> nonce, long segment, bool last)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce, segment);
        nonce[11] = last ? (byte)1 : (byte)0;
    }

    /// <summary>Seals a content held in memory: header, then every segment.</summary>
    public static byte[] Seal(string name, ReadOnlySpan<byte> plain, ObjectKey key)
    {
        var sealedBytes = new byte[SealedLength(plain.Length)];
        Seal(name, plain, key, sealedBytes);
        return sealedBytes;
    }

    /// <summary>Seals the content in the first <paramref name="length"/> bytes of <paramref name="buffer"/> where it lies
    /// (segments moved up from the last, each encrypted in place), when the buffer has room for its sealed length: a content
    /// whose owner gives it up then needs no second buffer. False, the buffer untouched, when there is no room.</summary>
    public static bool SealInPlace(string name, byte[] buffer, int length, ObjectKey key)
    {
        if (buffer.Length < SealedLength(length)) return false;
        var ad = AssociatedData(name, key.Header);
        using var aes = new AesGcm(key.Key, TagSize);
        Span<byte> nonce = stackalloc byte[12];
        var segments = Segments(length);
        for (var i = segments - 1; i >= 0; i--)
        {
            var size = Math.Min(SegmentSize, length - i * SegmentSize);
            var at = HeaderSize + i * (SegmentSize + TagSize);
            buffer.AsSpan(i * SegmentSize, size).CopyTo(buffer.AsSpan(at, size)); // up, past every segment not yet moved
            Nonce(nonce, i, i == segments - 1);
            var segment = buffer.AsSpan(at, size);
            aes.Encrypt(nonce, segment, segment, buffer.AsSpan(at + size, TagSize), ad);
        }
        key.Header.CopyTo(buffer, 0);
        return true;
    }

    /// <summary>Seals a content held in memory into <paramref name="destination"/>, exactly <see cref="SealedLength"/> bytes
    /// long (a buffer reused from a pool: fresh memory for every pack costs more than the cipher).</summary>
    public static void Seal(string name, ReadOnlySpan<byte> plain, ObjectKey key, Span<byte> destination)
    {
        if (destination.Length != SealedLength(plain.Length))
            throw new ArgumentException($"{destination.Length} bytes is not the sealed length of {plain.Length}", nameof(destination));
        key.Header.CopyTo(destination);
        var ad = AssociatedData(name, key.Header);
        using var aes = new AesGcm(key.Key, TagSize);
        Span<byte> nonce = stackalloc byte[12];
        var segments = Segments(plain.Length);
        var output = destination[HeaderSize..];
        for (var i = 0; i < segments; i++)
        {
            var chunk = plain.Slice(i * SegmentSize, Math.Min(SegmentSize, plain.Length - i * SegmentSize));
            Nonce(nonce, i, i == segments - 1);
            aes.Encrypt(nonce, chunk, output[..chunk.Length], output.Slice(chunk.Length, TagSize), ad);
            output = output[(chunk.Length + TagSize)..];
        }
    }
}

/// <summary>The key of one object and the header that names how it was made.</summary>
public sealed record ObjectKey(byte[] Key, byte[] Header);
