using FluentAssertions;
using Pipeline.Backups;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.Tests.Backups;

/// <summary>FastCDC over streams: where it cuts, and that the cuts survive edits, odd reads and tiny inputs.</summary>
public sealed class ChunkerTests
{
    private static readonly ChunkSizes Sizes = ChunkSizes.Default;

    [Fact]
    public void The_gear_table_is_fixed_so_the_same_data_is_cut_the_same_way_by_every_version()
    {
        GearTable.Values.Should().HaveCount(256);
        GearTable.Values[0].Should().Be(0xddc2cc40775a394e);
        GearTable.Values[255].Should().Be(0x9817d0c3adad1ae5);
        GearTable.Values.Distinct().Should().HaveCount(256);
    }

    [Fact]
    public async Task Chunks_respect_the_minimum_and_maximum_and_average_about_the_configured_size()
    {
        var data = TestContent.Of(48 << 20, 1).Bytes;

        var lengths = await LengthsAsync(new MemoryStream(data));

        lengths.Sum().Should().Be(data.Length);
        lengths.SkipLast(1).Should().OnlyContain(l => l >= Sizes.Min && l <= Sizes.Max);
        ((double)data.Length / lengths.Count).Should().BeInRange(Sizes.Average * 0.75, Sizes.Average * 1.5);
    }

    [Fact]
    public async Task Data_without_any_cut_point_is_cut_at_the_maximum()
    {
        var lengths = await LengthsAsync(new MemoryStream(new byte[5 * Sizes.Max + 7]));

        lengths.Should().Equal(Sizes.Max, Sizes.Max, Sizes.Max, Sizes.Max, Sizes.Max, 7);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(128 << 10)]
    public async Task An_empty_or_tiny_stream_is_no_chunk_or_one_whole_chunk(int size)
    {
        var lengths = await LengthsAsync(new MemoryStream(TestContent.Of(size, 2).Bytes));

        lengths.Should().Equal(size == 0 ? [] : [size]);
    }

    [Fact]
    public async Task A_stream_read_in_odd_sized_pieces_gives_the_same_chunks()
    {
        var data = TestContent.Of(9 << 20, 3).Bytes;

        var whole = await ShasAsync(new MemoryStream(data));
        var trickled = await ShasAsync(new TrickleStream(data));

        trickled.Should().Equal(whole);
    }

    [Theory]
    [InlineData("insert")]
    [InlineData("delete")]
    [InlineData("overwrite")]
    public async Task An_edit_early_in_the_data_leaves_most_chunks_unchanged(string edit)
    {
        var data = TestContent.Of(32 << 20, 4).Bytes.ToList();
        var before = await ShasAsync(new MemoryStream([.. data]));
        var at = 300_000;
        switch (edit)
        {
            case "insert": data.InsertRange(at, TestContent.Of(1000, 5).Bytes); break;
            case "delete": data.RemoveRange(at, 1000); break;
            default: data.RemoveRange(at, 1000); data.InsertRange(at, TestContent.Of(1000, 5).Bytes); break;
        }

        var after = await ShasAsync(new MemoryStream([.. data]));

        after.Except(before).Should().HaveCountLessThanOrEqualTo(2);
        before.Except(after).Should().HaveCountLessThanOrEqualTo(2);
        after.Count.Should().BeGreaterThan(30);
    }

    [Fact]
    public async Task A_stream_is_stored_as_packed_chunks_and_only_new_chunks_are_sent_again()
    {
        var store = new MemoryObjectStore();
        var data = TestContent.Of(12 << 20, 6).Bytes;
        var present = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var original = Convert.ToHexStringLower(SHA256.HashData(data));
        var first = await StoreAsync(store, data, present);
        foreach (var c in first.Chunks) present[c.Sha256] = true;
        data[6 << 20] ^= 0xff;

        var (second, sent) = await StoreCountingAsync(store, data, present);

        first.Sha256.Should().Be(original);
        first.Size.Should().Be(data.Length);
        second.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(data)));
        second.Chunks.Sum(c => c.Size).Should().Be(data.Length);
        sent.Should().BeLessThanOrEqualTo(2 * Sizes.Max).And.BeGreaterThan(0);
        var locations = (await new PackCatalog(store).LoadAsync(default)).Locations();
        second.Chunks.Should().OnlyContain(c => locations.ContainsKey(c.Sha256));
    }

    private static async Task<StoredStream> StoreAsync(MemoryObjectStore store, byte[] data, ConcurrentDictionary<string, bool> present) =>
        (await StoreCountingAsync(store, data, present)).Stored;

    private static async Task<(StoredStream Stored, long Sent)> StoreCountingAsync(
        MemoryObjectStore store,
        byte[] data,
        ConcurrentDictionary<string, bool> present
    )
    {
        var packer = new PackWriter(store, new PackCatalog(store));
        var chunks = new ChunkStore(packer, present);
        var stored = await chunks.StoreStreamAsync(new TrickleStream(data), default);
        await packer.CompleteAsync(default);
        return (stored, chunks.StoredBytes);
    }

    private static async Task<List<int>> LengthsAsync(Stream stream)
    {
        var lengths = new List<int>();
        await foreach (var chunk in Chunker.ChunksAsync(stream, Sizes, default)) lengths.Add(chunk.Length);
        return lengths;
    }

    private static async Task<List<string>> ShasAsync(Stream stream)
    {
        var shas = new List<string>();
        await foreach (var chunk in Chunker.ChunksAsync(stream, Sizes, default))
            shas.Add(Convert.ToHexStringLower(SHA256.HashData(chunk.Span)));
        return shas;
    }

    /// <summary>A pipe-like stream of unknown length that hands out a few odd-sized bytes per read.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private static readonly int[] Reads = [1, 7, 4093, 65_537, 333_333, 3];
        private int _position, _turn;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, Reads[_turn++ % Reads.Length]), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
