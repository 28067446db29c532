using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FluentAssertions;
using Pipeline.Tools.Aws;
using System.Globalization;
using Xunit;

namespace Pipeline.Tests.Tools.Aws;

/// <summary>
/// The AWS SDK's S3 client, with its own choices of headers and payload hashing (a streamed body is signed
/// <c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD</c>, or with a trailing checksum), captured before it leaves: our
/// <see cref="SigV4"/> given the same request, the headers the SDK signed and its instant, computes the SDK's
/// <c>Authorization</c>.
/// </summary>
public sealed class SigV4SdkClientRefereeTests
{
    private static readonly AwsCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private sealed record Captured(string Method, string Uri, Dictionary<string, string> Headers);

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<Captured> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            if (request.Content?.Headers.ContentLength is { } length)
                headers["content-length"] = length.ToString(CultureInfo.InvariantCulture);
            headers["host"] = request.Headers.Host ?? request.RequestUri!.Authority;
            Requests.Add(new Captured(request.Method.Method, request.RequestUri!.OriginalString, headers));
            var response = new HttpResponseMessage(
                request.Method == HttpMethod.Delete ? System.Net.HttpStatusCode.NoContent : System.Net.HttpStatusCode.OK
            )
            {
                Content = new StringContent(
                    request.Method == HttpMethod.Get
                        ? """<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><IsTruncated>false</IsTruncated></ListBucketResult>"""
                        : ""
                ),
            };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"5d41402abc4b2a76b9719d911017c592\"");
            return Task.FromResult(response);
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    [Theory]
    [InlineData("http://127.0.0.1:23000", true, "us-east-1")]
    [InlineData("https://s3.eu-west-1.amazonaws.com", false, "eu-west-1")]
    public async Task The_SDK_clients_requests_are_signed_alike_by_our_signer(string serviceUrl, bool pathStyle, string region)
    {
        var handler = new CapturingHandler();
        using var client = new AmazonS3Client(
            new BasicAWSCredentials(Credentials.AccessKeyId, Credentials.SecretAccessKey),
            new AmazonS3Config
            {
                ServiceURL = serviceUrl,
                ForcePathStyle = pathStyle,
                AuthenticationRegion = region,
                HttpClientFactory = new Factory(handler),
                MaxErrorRetry = 0,
            }
        );
        const string bucket = "team-backups";

        await client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = bucket,
                Key = "small/Grüße a b.txt",
                InputStream = new MemoryStream("hello"u8.ToArray()),
            }
        );
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "empty/./x", InputStream = new MemoryStream() });
        await client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = bucket,
                Key = "streamed/../日本.bin",
                InputStream = new NonSeekableStream(new byte[70_000]),
            }
        );
        await client.ListObjectsAsync(
            new ListObjectsRequest
            {
                BucketName = bucket,
                Prefix = "set/objects/ä b",
                Marker = "set/./m",
                MaxKeys = 1000,
            }
        );
        await client.DeleteObjectAsync(bucket, "with spaces/../é");

        handler.Requests.Should().HaveCount(5);
        handler.Requests.Select(r => r.Headers["x-amz-content-sha256"]).Should().Contain(h => h.StartsWith("STREAMING-"),
            "the non-seekable body is streamed in signed or trailing-checksum chunks");
        foreach (var request in handler.Requests)
            Recomputed(request, region).Should().Be(request.Headers["authorization"], $"{request.Method} {request.Uri}");
    }

    /// <summary>Our signature over the SDK's request: decoded path and query, the headers it signed, its instant.</summary>
    private static string Recomputed(Captured request, string region)
    {
        var afterScheme = request.Uri[(request.Uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var pathAndQuery = afterScheme[afterScheme.IndexOf('/')..];
        var (path, queryText) = pathAndQuery.IndexOf('?') is var q and >= 0
            ? (pathAndQuery[..q], pathAndQuery[(q + 1)..])
            : (pathAndQuery, "");
        var query = queryText.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : ""));
        var signed = request.Headers["authorization"].Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var at = DateTimeOffset.ParseExact(
            request.Headers["x-amz-date"],
            "yyyyMMdd'T'HHmmss'Z'",
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal
        );
        return SigV4.Authorization(Credentials, region, "s3", at, request.Method, Uri.UnescapeDataString(path), query,
            signed.Select(name => new KeyValuePair<string, string>(name, request.Headers[name])), request.Headers["x-amz-content-sha256"]);
    }
}
