using FluentAssertions;
using Pipeline.Tools.S3;
using System.Net;
using System.Security.Cryptography;
using Xunit;

namespace Pipeline.Tests.Tools.S3;

public sealed class S3SignedRequestTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_put_is_path_style_with_the_payload_hash_signed_and_the_key_encoded()
    {
        var payload = "hello"u8.ToArray();
        using var request = S3SignedRequest.Create(
            S3Endpoint.S3rver(23000),
            "pipeline-backups",
            HttpMethod.Put,
            "set/objects/ab/a b",
            [],
            payload,
            At
        );

        request.RequestUri!.AbsoluteUri.Should().Be("http://127.0.0.1:23000/pipeline-backups/set/objects/ab/a%20b");
        request.Headers.GetValues("x-amz-content-sha256").Should().Equal(Convert.ToHexStringLower(SHA256.HashData(payload)));
        request.Headers.GetValues("x-amz-date").Should().Equal("20261122T060000Z");
        request
            .Headers.GetValues("Authorization")
            .Single()
            .Should()
            .StartWith(
                "AWS4-HMAC-SHA256 Credential=S3RVER/20261122/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
            );
        (await request.Content!.ReadAsByteArrayAsync()).Should().Equal(payload);
    }

    [Fact]
    public void A_key_with_dot_segments_is_sent_as_signed_not_collapsed_into_another_key()
    {
        using var request = S3SignedRequest.Create(S3Endpoint.S3rver(23000), "b", HttpMethod.Get, "locks/./x/../prod.json", [], null, At);

        request.RequestUri!.AbsolutePath.Should().Be("/b/locks/./x/../prod.json");
    }

    [Fact]
    public void A_virtual_hosted_endpoint_puts_the_bucket_in_the_host()
    {
        var endpoint = new S3Endpoint("https://s3.eu-west-1.amazonaws.com", "eu-west-1", false, "AKID", "secret");
        using var request = S3SignedRequest.Create(endpoint, "team-backups", HttpMethod.Put, "k", [], "x"u8.ToArray(), At);
        request.RequestUri!.ToString().Should().Be("https://team-backups.s3.eu-west-1.amazonaws.com/k");
        request.Headers.Host.Should().Be("team-backups.s3.eu-west-1.amazonaws.com");
    }

    [Fact]
    public void S3_error_codes_are_read_and_only_server_side_and_throttling_statuses_are_retried()
    {
        S3Direct
            .ErrorCode("<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>x</Message></Error>")
            .Should()
            .Be("NoSuchBucket");
        S3Direct.ErrorCode("<html>bad gateway</html>").Should().Be("no error code");
        S3Direct.IsTransient(HttpStatusCode.ServiceUnavailable).Should().BeTrue();
        S3Direct.IsTransient(HttpStatusCode.TooManyRequests).Should().BeTrue();
        S3Direct.IsTransient(HttpStatusCode.Forbidden).Should().BeFalse();
        S3Direct.IsTransient(HttpStatusCode.NotFound).Should().BeFalse();
    }

    [Fact]
    public void A_list_page_gives_full_keys_sizes_times_and_whether_more_follow()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>b</Name><Prefix>set/objects/</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>
              <Contents><Key>set/objects/ab/a&amp;b</Key><LastModified>2026-11-22T07:59:21.642Z</LastModified><ETag>"e1"</ETag><Size>42</Size></Contents>
              <Contents><Key>set/objects/cd/c</Key><LastModified>2026-11-22T08:00:00.000Z</LastModified><ETag>"e2"</ETag><Size>0</Size></Contents>
            </ListBucketResult>
            """;

        var page = ListPage.Parse(xml);

        page.IsTruncated.Should().BeTrue();
        page.Objects.Should().Equal(
            new ObjectInfo("set/objects/ab/a&b", 42, new DateTimeOffset(2026, 11, 22, 7, 59, 21, 642, TimeSpan.Zero), "\"e1\""),
            new ObjectInfo("set/objects/cd/c", 0, new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero), "\"e2\""));
        var notAList = () => ListPage.Parse("<Error><Code>AccessDenied</Code></Error>");
        notAList.Should().Throw<FormatException>();
    }
}
