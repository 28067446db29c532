using System.Numerics;

namespace Pipeline.Backups;

/// <summary>
/// Where FastCDC (Xia et al., USENIX ATC 2016) cuts: a gear hash <c>fp = (fp &lt;&lt; 1) + Gear[byte]</c> rolled from
/// <see cref="ChunkSizes.Min"/> on, cut after the first byte where the hash's top bits are all zero. Normalized
/// chunking (level 2): before <see cref="ChunkSizes.Average"/> the mask has two bits more than log2(average) (a cut
/// is 4× less likely), after it two bits fewer (4× more likely), so chunk sizes crowd around the average. A cut
/// depends only on the bytes since the previous cut, so an insertion or deletion moves the boundaries next to it
/// and no others: the chunks after it are found again.
/// </summary>
public static class FastCdc
{
    /// <summary>The length of the chunk that starts <paramref name="data"/>. The caller hands over at least
    /// <see cref="ChunkSizes.Max"/> bytes unless they are the last of the stream (then the rest may be one chunk).</summary>
    public static int Cut(ReadOnlySpan<byte> data, ChunkSizes sizes)
    {
        var n = data.Length;
        if (n <= sizes.Min) return n;
        if (n > sizes.Max) n = sizes.Max;
        var normal = Math.Min(sizes.Average, n);
        var gear = GearTable.Values;
        ulong fp = 0, before = sizes.MaskBefore, after = sizes.MaskAfter;
        var i = sizes.Min;
        for (; i < normal; i++)
        {
            fp = (fp << 1) + gear[data[i]];
            if ((fp & before) == 0) return i + 1;
        }
        for (; i < n; i++)
        {
            fp = (fp << 1) + gear[data[i]];
            if ((fp & after) == 0) return i + 1;
        }
        return n;
    }
}

/// <summary>
/// A chunker's minimum, average (a power of two) and maximum chunk size in bytes. The top bits of the gear hash are
/// masked: bit k of it depends on the last k+1 bytes, so the top bits see a window of about 64 bytes.
/// </summary>
public sealed record ChunkSizes(int Min, int Average, int Max)
{
    /// <summary>
    /// 128 KiB / 512 KiB / 2 MiB. A change costs about one chunk (≈ 0.5–1 MiB sent for each place that changed); the
    /// maximum is below <see cref="PackWriter.MaxPackedSize"/>, so every chunk is packed (a 1 GiB file is about 2,000
    /// chunks in a few hundred 8 MiB packs, and its manifest entry about 2,000 ids).
    /// </summary>
    public static readonly ChunkSizes Default = new(128 << 10, 512 << 10, 2 << 20);

    /// <summary>
    /// 32 KiB / 128 KiB / 512 KiB, for database dumps: a changed row moves in the dump (PostgreSQL writes the new version
    /// elsewhere, usually at the table's end), so each place that changed costs the chunk around the row's old place and
    /// the one around its new place; chunks four times smaller than files' send four times less for each (a 200 MB dump
    /// is about 1,600 chunks, its manifest entry about 150 KB).
    /// </summary>
    public static readonly ChunkSizes Dumps = new(32 << 10, 128 << 10, 512 << 10);

    public int Min { get; } = Min > 0 && Min < Average ? Min : throw new ArgumentOutOfRangeException(nameof(Min));
    public int Average { get; } =
        BitOperations.IsPow2(Average) && Average < Max ? Average : throw new ArgumentOutOfRangeException(nameof(Average));
    public int Max { get; } = Max;

    private int Bits => BitOperations.Log2((uint)Average);
    public ulong MaskBefore => TopBits(Bits + 2);
    public ulong MaskAfter => TopBits(Math.Max(1, Bits - 2));

    private static ulong TopBits(int count) => ulong.MaxValue << (64 - count);
}
