using FluentAssertions;
using Pipeline.IntegrationTests.Backups;
using Pipeline.Tools.S3;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.S3;

[Collection(S3rverCollection.Name)]
public sealed class S3ObjectStoreTests(S3rverFixture s3)
{
    [Fact]
    public async Task Put_then_get_returns_the_same_bytes_and_a_missing_key_is_null()
    {
        using var store = s3.Store("roundtrip");
        await store.PutAsync("a/b.txt", new MemoryStream(Encoding.UTF8.GetBytes("hello")), default);

        await using var body = await store.GetAsync("a/b.txt", default);
        new StreamReader(body!).ReadToEnd().Should().Be("hello");
        (await store.GetAsync("a/missing", default)).Should().BeNull();
        (await store.ExistsAsync("a/b.txt", default)).Should().BeTrue();
        (await store.ExistsAsync("a/missing", default)).Should().BeFalse();
    }

    [Fact]
    public async Task Listing_is_flat_by_prefix_including_keys_under_folder_only_prefixes()
    {
        using var store = s3.Store("list");
        foreach (var key in new[] { "x/1", "x/deep/2", "x/deep/er/3", "y/4" })
            await store.PutAsync(key, new MemoryStream([1, 2, 3]), default);

        var keys = await store.ListAsync("x/", default).Select(o => o.Key).ToListAsync();

        keys.Should().BeEquivalentTo(["x/1", "x/deep/2", "x/deep/er/3"]);
    }

    [Fact]
    public async Task Listing_pages_past_a_thousand_keys()
    {
        using var store = s3.Store("paging");
        await Parallel.ForEachAsync(Enumerable.Range(0, 1005), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await store.PutAsync($"k/{i:D4}", new MemoryStream([0]), ct));

        (await store.ListAsync("k/", default).CountAsync()).Should().Be(1005);
    }

    [Fact]
    public async Task A_large_stream_goes_up_in_parts_and_comes_back_whole()
    {
        using var store = s3.Store("multipart");
        var data = new byte[S3ObjectStore.MultipartThreshold + 5_000_000];
        new Random(7).NextBytes(data);

        await store.PutAsync("big", new MemoryStream(data), default);

        await using var body = await store.GetAsync("big", default);
        SHA256.HashData(body!).Should().Equal(SHA256.HashData(data));
    }

    [Fact]
    public async Task PutIfAbsent_writes_once_and_refuses_when_the_key_exists()
    {
        using var store = s3.Store("conditional");

        (await store.PutIfAbsentAsync("lock", "first"u8.ToArray(), default)).Should().BeTrue();
        (await store.PutIfAbsentAsync("lock", "second"u8.ToArray(), default)).Should().BeFalse();

        await using var body = await store.GetAsync("lock", default);
        new StreamReader(body!).ReadToEnd().Should().Be("first");
    }

    [Fact]
    public async Task Delete_removes_the_object()
    {
        using var store = s3.Store("delete");
        await store.PutAsync("gone", new MemoryStream([1]), default);
        await store.DeleteAsync("gone", default);
        await store.DeleteAsync("gone", default); // a key that is not there (any more) is no error
        (await store.ExistsAsync("gone", default)).Should().BeFalse();
    }

    [Fact]
    public async Task Keys_with_spaces_and_non_ascii_letters_round_trip_through_put_list_and_delete()
    {
        using var store = s3.Store("odd keys");
        const string key = "a b/ü ñ+&=.txt";
        await store.PutAsync(key, new MemoryStream([7]), default);

        var listed = await store.ListAsync("a b/", default).Select(o => o.Key).ToListAsync();
        await store.DeleteAsync(key, default);

        listed.Should().Equal(key);
        (await store.ExistsAsync(key, default)).Should().BeFalse();
    }

    [Fact]
    public async Task An_unknown_access_key_fails_at_once_naming_the_request_and_S3s_error_code_never_the_secret()
    {
        // s3rver checks the access key id (not the signature): an unknown one is refused with 403 InvalidAccessKeyId.
        const string secret = "secret-4711";
        using var store = new S3ObjectStore(
            s3.Endpoint with
            {
                AccessKey = "NOT-A-KEY",
                SecretKey = secret,
            },
            S3rverFixture.Bucket,
            "creds"
        );

        var list = async () => await store.ListAsync("x/", default).ToListAsync();
        var put = () => store.PutAsync("x/y", new MemoryStream([1]), default);

        (await list.Should().ThrowAsync<Pipeline.Engine.PipelineException>())
            .Which.Message.Should()
            .Be($"S3 list of s3://{S3rverFixture.Bucket}/creds/x/ at {s3.Endpoint.ServiceUrl} failed: 403 InvalidAccessKeyId")
            .And.NotContain(secret);
        (await put.Should().ThrowAsync<Pipeline.Engine.PipelineException>())
            .Which.Message.Should()
            .Be($"S3 write of s3://{S3rverFixture.Bucket}/creds/x/y at {s3.Endpoint.ServiceUrl} failed: 403 InvalidAccessKeyId")
            .And.NotContain(secret);
    }
}
