using FluentAssertions;
using Pipeline.Backups;
using System.Collections.Concurrent;
using Xunit;

namespace Pipeline.Tests.Backups;

/// <summary>A stream stored as chunks (a dump) read back in order: one GET per pack, old fixed pieces, damage refused.</summary>
public sealed class ChunkedStreamReaderTests
{
    [Fact]
    public async Task A_changed_stream_reads_back_byte_for_byte_with_one_GET_per_pack_it_uses()
    {
        var store = new MemoryObjectStore();
        var first = TestContent.Of(24 << 20, 1).Bytes;
        // As a dump after updates: rows gone from three places, their new versions at the end.
        var second = first[..(5 << 20)].Concat(first[((5 << 20) + 100_000)..(12 << 20)]).Concat(first[((12 << 20) + 100_000)..(19 << 20)])
            .Concat(first[((19 << 20) + 100_000)..]).Concat(TestContent.Of(300_000, 2).Bytes).ToArray();
        await StoreAsync(store, first);
        var stored = await StoreAsync(store, second);
        var indexes = await new PackCatalog(store).LoadAsync(default);
        var packs = stored.Chunks.Select(c => indexes.Locations()[c.Sha256].Pack).Distinct().Count();
        store.Gets.Clear();

        var (read, written) = await ReadAsync(store, stored.Chunks);

        read.Should().Equal(second);
        written.Should().Be(second.Length);
        packs.Should().BeGreaterThan(3);
        store.Gets.Where(k => k.StartsWith(RepositoryLayout.Packs, StringComparison.Ordinal)).Should().HaveCount(packs)
            .And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_dump_stored_as_fixed_pieces_before_dumps_were_chunked_still_reads_back()
    {
        var store = new MemoryObjectStore();
        var pieces = new[] { TestContent.Of(1 << 20, 3), TestContent.Of(300_000, 4) };
        foreach (var (sha, bytes) in pieces) await store.PutAsync(RepositoryLayout.Object(sha), bytes, default);
        var source = new SnapshotSource("postgres://u@h:5432/shop", SourceKind.Postgres, "shop", false,
            [.. pieces.Select((p, i) =>
                new SnapshotEntry($"00000{i}", EntryKind.File, DatabaseBackup.DumpMode, p.Bytes.Length, 0, p.Sha))]);

        var (read, _) = await ReadAsync(store, DatabaseBackup.Chunks(source));

        read.Should().Equal(pieces[0].Bytes.Concat(pieces[1].Bytes));
    }

    [Fact]
    public async Task A_corrupt_chunk_stops_the_stream_before_any_of_its_bytes_are_written_naming_its_pack()
    {
        var store = new MemoryObjectStore();
        var stored = await StoreAsync(store, TestContent.Of(6 << 20, 5).Bytes);
        var chunk = stored.Chunks[3];
        var at = (await new PackCatalog(store).LoadAsync(default)).Locations()[chunk.Sha256];
        store.Objects[RepositoryLayout.Pack(at.Pack)][at.Offset + 10] ^= 0xff;

        var reader = await Reader(store);
        var destination = new MemoryStream();

        var read = () => reader.CopyToAsync(stored.Chunks, destination, "db 1 shop", default);

        var thrown = (await read.Should().ThrowAsync<DamagedChunkException>()).Which;
        thrown.Key.Should().Be(RepositoryLayout.Pack(at.Pack));
        thrown.Message.Should().Contain(chunk.Sha256).And.Contain("corrupt").And.Contain("db 1 shop");
        destination.Length.Should().BeLessThanOrEqualTo(stored.Chunks.Take(3).Sum(c => c.Size));
    }

    [Fact]
    public async Task A_missing_pack_is_named()
    {
        var store = new MemoryObjectStore();
        var stored = await StoreAsync(store, TestContent.Of(1 << 20, 6).Bytes);
        var reader = await Reader(store);
        var pack = store.Objects.Keys.Single(k => k.StartsWith(RepositoryLayout.Packs));
        store.Objects.TryRemove(pack, out _);

        var read = () => reader.CopyToAsync(stored.Chunks, new MemoryStream(), "db 1 shop", default);

        (await read.Should().ThrowAsync<DamagedChunkException>()).Which.Message.Should().Contain(pack).And.Contain("missing");
    }

    private static async Task<StoredStream> StoreAsync(MemoryObjectStore store, byte[] data)
    {
        var present = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        foreach (var sha in (await new PackCatalog(store).LoadAsync(default)).Locations().Keys) present[sha] = true;
        var packer = new PackWriter(store, new PackCatalog(store));
        var stored = await new ChunkStore(packer, present, ChunkSizes.Dumps).StoreStreamAsync(new MemoryStream(data), default);
        await packer.CompleteAsync(default);
        return stored;
    }

    private static async Task<ChunkedStreamReader> Reader(MemoryObjectStore store) =>
        new(store, ContentNaming.Plain, await new PackCatalog(store).LoadAsync(default));

    private static async Task<(byte[] Read, long Written)> ReadAsync(MemoryObjectStore store, IReadOnlyList<SnapshotChunk> chunks)
    {
        var destination = new MemoryStream();
        var written = await (await Reader(store)).CopyToAsync(chunks, destination, "db 1 shop", default);
        return (destination.ToArray(), written);
    }
}
