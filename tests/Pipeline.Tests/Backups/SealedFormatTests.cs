using FluentAssertions;
using Pipeline.Backups;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.Tests.Backups;

/// <summary>The sealed object format over a store in memory: lengths, round trips at segment edges, and every kind of damage.</summary>
public sealed class SealedFormatTests
{
    private const int S = SealedFormat.SegmentSize;

    public static TheoryData<int> Sizes => new() { 0, 1, 1000, S - 1, S, S + 1, 3 * S + 7 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_content_sealed_in_memory_or_streamed_opens_to_the_same_bytes_and_lists_with_its_own_length(int size)
    {
        var (store, raw) = Sealed();
        var content = RandomNumberGenerator.GetBytes(size);

        await store.PutAsync("packs/aa/one", content, default);
        await store.PutAsync("objects/aa/two", new MemoryStream(content), default);

        raw.Objects["packs/aa/one"].Length.Should().Be((int)SealedFormat.SealedLength(size));
        raw.Objects["objects/aa/two"].Length.Should().Be((int)SealedFormat.SealedLength(size));
        (await ReadAsync(store, "packs/aa/one")).Should().Equal(content);
        (await ReadAsync(store, "objects/aa/two")).Should().Equal(content);
        SealedFormat.PlainLength(SealedFormat.SealedLength(size)).Should().Be(size);
        await foreach (var o in store.ListAsync("", default)) o.Size.Should().Be(size);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_content_given_up_with_its_buffer_is_sealed_where_it_lies_or_without_room_beside_it(int size)
    {
        var (store, raw) = Sealed();
        var content = RandomNumberGenerator.GetBytes(size);
        var roomy = new byte[SealedFormat.SealedLength(size) + 5];
        content.CopyTo(roomy, 0);
        var tight = content.ToArray();

        await store.PutOwnedAsync("packs/aa/roomy", roomy, size, default);
        await store.PutOwnedAsync("packs/aa/tight", tight, size, default);

        raw.Objects["packs/aa/roomy"].Should().Equal(roomy[..(int)SealedFormat.SealedLength(size)]);
        raw.Objects["packs/aa/tight"].Length.Should().Be((int)SealedFormat.SealedLength(size));
        tight.Should().Equal(content);
        (await ReadAsync(store, "packs/aa/roomy")).Should().Equal(content);
        (await ReadAsync(store, "packs/aa/tight")).Should().Equal(content);
    }

    [Fact]
    public async Task Contents_sealed_one_after_another_through_reused_buffers_each_store_only_their_own_bytes()
    {
        var (store, raw) = Sealed();
        var contents = new[] { 3 * S + 7, 1, S, 0, 2 * S }.Select(RandomNumberGenerator.GetBytes).ToList();

        for (var i = 0; i < contents.Count; i++) await store.PutAsync($"packs/aa/{i}", contents[i], default);

        for (var i = 0; i < contents.Count; i++)
        {
            raw.Objects[$"packs/aa/{i}"].Length.Should().Be((int)SealedFormat.SealedLength(contents[i].Length));
            (await ReadAsync(store, $"packs/aa/{i}")).Should().Equal(contents[i]);
        }
    }

    [Fact]
    public void Sealing_into_a_buffer_of_any_other_length_than_the_sealed_one_is_refused()
    {
        var key = RepositoryCipher.Full(RandomNumberGenerator.GetBytes(32), (_, _) => Task.FromResult<ECDiffieHellman?>(null))
            .KeyForWriting();

        var seal = () => SealedFormat.Seal("packs/aa/one", new byte[10], key, new byte[SealedFormat.SealedLength(10) + 1]);

        seal.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void No_content_seals_to_a_length_just_off_a_sealed_one()
    {
        foreach (var size in new long[] { 0, 1, S, S + 1, 5L * S })
        {
            SealedFormat.PlainLength(SealedFormat.SealedLength(size) + 1).Should().NotBe(size);
            SealedFormat.PlainLength(SealedFormat.SealedLength(size) - 1).Should().NotBe(size);
        }
        SealedFormat.PlainLength(10).Should().Be(-1);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate-last-segment")]
    [InlineData("drop-last-segment")]
    [InlineData("renamed")]
    [InlineData("header")]
    public async Task A_changed_truncated_or_renamed_object_fails_authentication_naming_it(string damage)
    {
        var (store, raw) = Sealed();
        await store.PutAsync("packs/aa/one", RandomNumberGenerator.GetBytes(2 * S + 10), default);
        var bytes = raw.Objects["packs/aa/one"];
        var key = "packs/aa/one";
        switch (damage)
        {
            case "flip": bytes[SealedFormat.HeaderSize + S + 100] ^= 1; break;
            case "truncate-last-segment": raw.Objects[key] = bytes[..^5]; break;
            case "drop-last-segment": raw.Objects[key] = bytes[..(SealedFormat.HeaderSize + 2 * (S + SealedFormat.TagSize))]; break;
            case "renamed": raw.Objects["packs/bb/two"] = bytes; key = "packs/bb/two"; break;
            default: bytes[7] ^= 1; break; // inside the salt
        }

        var read = () => ReadAsync(store, key);

        (await read.Should().ThrowAsync<TamperedObjectException>()).Which.Message.Should().StartWith($"{key} failed authentication");
    }

    [Fact]
    public async Task A_write_only_cipher_seals_what_only_the_operators_private_key_opens()
    {
        using var operators = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var publicOnly = ECDiffieHellman.Create();
        publicOnly.ImportSubjectPublicKeyInfo(operators.ExportSubjectPublicKeyInfo(), out _);
        var raw = new MemoryObjectStore();
        var host = new SealedObjectStore(raw, _ => Task.FromResult(RepositoryCipher.WriteOnly(publicOnly, new byte[32])));
        var master = RandomNumberGenerator.GetBytes(32);
        var reader = new SealedObjectStore(raw, _ => Task.FromResult(
            RepositoryCipher.Full(master, (_, _) => Task.FromResult<ECDiffieHellman?>(operators))));
        var content = RandomNumberGenerator.GetBytes(S + 3);

        await host.PutAsync("snapshots/host/1.json", content, default);
        var hostReads = () => ReadAsync(host, "snapshots/host/1.json");

        (await ReadAsync(reader, "snapshots/host/1.json")).Should().Equal(content);
        await hostReads.Should().ThrowAsync<SealedForOthersException>();
    }

    private static (SealedObjectStore Store, MemoryObjectStore Raw) Sealed()
    {
        var raw = new MemoryObjectStore();
        var cipher = RepositoryCipher.Full(RandomNumberGenerator.GetBytes(32), (_, _) => Task.FromResult<ECDiffieHellman?>(null));
        return (new SealedObjectStore(raw, _ => Task.FromResult(cipher)), raw);
    }

    private static async Task<byte[]> ReadAsync(SealedObjectStore store, string key)
    {
        await using var body = (await store.GetAsync(key, default))!;
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
