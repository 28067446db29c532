using FluentAssertions;
using Pipeline.Backups;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.Tests.Backups;

public class LatestSnapshotProbeTests
{
    private const string Key = "p/snapshots/data/20261122T051734.933Z-c7addb.json";

    [Fact]
    public void List_request_is_signed_like_the_AWS_S3_GET_Bucket_example()
    {
        // AWS S3 API reference, "Signature Calculations for the Authorization Header", GET Bucket (List Objects).
        var endpoint = new S3Endpoint(
            "https://s3.amazonaws.com",
            "us-east-1",
            false,
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        );
        using var request = LatestSnapshotProbe.ListRequest(
            endpoint,
            "examplebucket",
            [new("max-keys", "2"), new("prefix", "J")],
            new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero)
        );

        request.RequestUri!.ToString().Should().Be("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J");
        request
            .Headers.GetValues("Authorization")
            .Single()
            .Should()
            .Be(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                    + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                        + "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
            );
    }

    [Fact]
    public void Probe_lists_path_style_from_just_before_the_cached_manifest_asking_for_two_keys()
    {
        using var request = LatestSnapshotProbe.Request(
            S3Endpoint.S3rver(23000),
            "pipeline-backups",
            "p/snapshots/data/",
            Key,
            DateTimeOffset.UtcNow
        );

        request
            .RequestUri!.ToString()
            .Should()
            .Be(
                "http://127.0.0.1:23000/pipeline-backups?marker=p%2Fsnapshots%2Fdata%2F20261122T051734.933Z-c7addb.jso&max-keys=2&prefix=p%2Fsnapshots%2Fdata%2F"
            );
        request.Headers.Host.Should().Be("127.0.0.1:23000");
    }

    [Fact]
    public void Only_a_complete_answer_naming_exactly_the_cached_manifest_means_it_is_the_latest()
    {
        LatestSnapshotProbe.IsOnlyKey(Answer(false, Key), Key).Should().BeTrue();
        LatestSnapshotProbe.IsOnlyKey(Answer(false), Key).Should().BeFalse("the manifest is gone");
        LatestSnapshotProbe
            .IsOnlyKey(Answer(false, Key, "p/snapshots/data/20261123T000000.000Z-aaaaaa.json"), Key)
            .Should()
            .BeFalse("a later snapshot exists");
        LatestSnapshotProbe.IsOnlyKey(Answer(true, Key), Key).Should().BeFalse("the answer is incomplete");
        LatestSnapshotProbe.IsOnlyKey(Answer(false, "p/snapshots/data/20261122T051734.933Z-c7addb.json.tmp"), Key).Should().BeFalse();
        LatestSnapshotProbe.IsOnlyKey("<Error><Code>AccessDenied</Code></Error>", Key).Should().BeFalse();
    }

    private static string Answer(bool truncated, params string[] keys) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>"""
        + string.Concat(keys.Select(k => $"<Contents><Key>{k}</Key><Size>1</Size></Contents>"))
        + "</ListBucketResult>";
}
