using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Engine;
using Pipeline.Tools.S3;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.Tests.Backups;

/// <summary>The pack format in memory (the S3 round trips are in the integration tests, against s3rver).</summary>
public sealed class PackTests
{
    private static (string Sha, byte[] Bytes) Content(int size, int seed) => TestContent.Of(size, seed);

    [Fact]
    public async Task The_pack_writer_stores_each_content_once_in_packs_named_by_their_hash_with_an_index_of_offsets()
    {
        var store = new MemoryObjectStore();
        var contents = Enumerable.Range(0, 5).Select(i => Content(3 << 20, i)).ToList();
        var writer = new PackWriter(store, new PackCatalog(store));

        var added = new List<bool>();
        foreach (var (sha, bytes) in contents.Append(contents[0])) added.Add(await writer.AddAsync(sha, bytes, default));
        await writer.CompleteAsync(default);

        added.Should().Equal(true, true, true, true, true, false);
        var indexes = (await new PackCatalog(store).LoadAsync(default)).Indexes.Select(i => i.Index).ToList();
        indexes.Select(i => i.Blobs.Count).Order().Should().Equal(2, 3); // sealed once past 8 MiB, then the rest
        writer.PacksWritten.Should().Be(2);
        foreach (var index in indexes)
        {
            var pack = store.Objects[RepositoryLayout.Pack(index.Pack)];
            Convert.ToHexStringLower(SHA256.HashData(pack)).Should().Be(index.Pack);
            foreach (var blob in index.Blobs)
                Convert.ToHexStringLower(SHA256.HashData(pack.AsSpan((int)blob.Offset, (int)blob.Size))).Should().Be(blob.Sha256);
        }
        indexes.SelectMany(i => i.Blobs).Select(b => b.Sha256).Should().BeEquivalentTo(contents.Select(c => c.Sha));
    }

    [Fact]
    public async Task The_pack_reader_hands_over_only_the_wanted_contents_also_an_empty_one_and_a_short_pack_as_a_short_content()
    {
        var store = new MemoryObjectStore();
        var contents = new[] { Content(1000, 0), Content(0, 1), Content(1002, 2) };
        var writer = new PackWriter(store, new PackCatalog(store));
        foreach (var (sha, bytes) in contents) await writer.AddAsync(sha, bytes, default);
        await writer.CompleteAsync(default);
        var index = (await new PackCatalog(store).LoadAsync(default)).Indexes.Single().Index;
        var key = RepositoryLayout.Pack(index.Pack);
        store.Objects[key] = store.Objects[key][..^10]; // the last content loses its tail

        var seen = new Dictionary<string, string>();
        var found = await PackReader.ReadAsync(store, index.Pack, index.Blobs.Skip(1), (blob, bytes, actual, _) =>
        {
            seen[blob.Sha256] = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
            actual.Should().Be(seen[blob.Sha256]);
            return ValueTask.CompletedTask;
        }, default);
        var missing = await PackReader.ReadAsync(store, new string('0', 64), index.Blobs, (_, _, _, _) => ValueTask.CompletedTask, default);

        found.Should().BeTrue();
        missing.Should().BeFalse();
        seen.Keys.Should().BeEquivalentTo(index.Blobs.Skip(1).Select(b => b.Sha256));
        index.Blobs[1].Size.Should().Be(0);
        seen[index.Blobs[1].Sha256].Should().Be(index.Blobs[1].Sha256);
        seen[index.Blobs[2].Sha256].Should().NotBe(index.Blobs[2].Sha256);
    }

    [Fact]
    public async Task A_pack_already_stored_whole_with_its_index_is_not_written_again()
    {
        var store = new MemoryObjectStore();
        var (sha, bytes) = Content(5000, 1);
        var first = new PackWriter(store, new PackCatalog(store));
        await first.AddAsync(sha, bytes, default);
        await first.CompleteAsync(default);
        var writes = store.Puts.Count;

        var second = new PackWriter(store, new PackCatalog(store));
        await second.AddAsync(sha, bytes, default);
        await second.CompleteAsync(default);

        writes.Should().Be(2, "a pack and its index");
        store.Puts.Count.Should().Be(writes, "another run packing the same contents finds both stored whole");
        second.Written.Should().Equal(first.Written);
    }

    [Fact]
    public void A_pack_index_round_trips_and_one_that_names_another_pack_or_a_newer_format_is_refused()
    {
        var pack = new string('a', 64);
        var index = new PackIndex(
            PackIndex.CurrentFormat,
            pack,
            [new PackedBlob(new string('b', 64), 0, 10), new PackedBlob(new string('c', 64), 10, 5)]
        );

        PackIndex.FromJson(index.ToJson(), RepositoryLayout.Index(pack)).Should().BeEquivalentTo(index);
        var elsewhere = () => PackIndex.FromJson(index.ToJson(), RepositoryLayout.Index(new string('d', 64)));
        elsewhere.Should().Throw<PipelineException>().WithMessage("*index/dddd*not valid*describes pack aaaa*");
        var newer = () => PackIndex.FromJson((index with { Format = 9 }).ToJson(), RepositoryLayout.Index(pack));
        newer.Should().Throw<PipelineException>().WithMessage("*format 9*update Pipeline*");
    }

    [Fact]
    public void Pack_and_index_keys_parse_back()
    {
        var sha = new string('e', 64);
        RepositoryLayout.Pack(sha).Should().Be($"packs/ee/{sha}");
        RepositoryLayout.HashOfPack(RepositoryLayout.Pack(sha)).Should().Be(sha);
        RepositoryLayout.HashOfPack("packs/ee/short").Should().BeNull();
        RepositoryLayout.Index(sha).Should().Be($"index/{sha}.json");
        RepositoryLayout.PackOfIndex(RepositoryLayout.Index(sha)).Should().Be(sha);
        RepositoryLayout.PackOfIndex("index/other.json").Should().BeNull();
    }
}
