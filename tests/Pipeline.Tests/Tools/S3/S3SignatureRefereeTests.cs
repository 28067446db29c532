using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.S3;
using Amazon.S3.Model;
using FluentAssertions;
using Pipeline.Tools.S3;
using Xunit;

namespace Pipeline.Tests.Tools.S3;

/// <summary>
/// s3rver checks no signature, so the AWS SDK referees ours: for the very requests <see cref="S3Direct"/> sends, the
/// SDK's own SigV4 signer (AWSSDK.Core's <see cref="AWS4Signer"/>, given the bucket and key as the S3 marshallers give
/// them, so it encodes the path itself) must produce the same <c>Authorization</c> and payload hash.
/// </summary>
public sealed class S3SignatureRefereeTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static readonly string[] Keys =
    [
        "set/objects/ab/0123abcd.bin",
        "with spaces/a b  c.txt",
        "non-ascii/Grüße/日本語/ñ.txt",
        "dots/./x/../prod.json",
        "../outside/.",
        "reserved/a+b=c&d~e*f'(g)!h$,;:@[]#%.txt",
    ];

    private static readonly (string ServiceUrl, bool PathStyle)[] Endpoints =
    [
        ("http://127.0.0.1:23000", true),
        ("https://s3.eu-west-1.amazonaws.com", false),
        ("http://127.0.0.1:23000/s3-base", true),
    ];

    public static TheoryData<string, bool, string> EndpointsAndKeys()
    {
        var data = new TheoryData<string, bool, string>();
        foreach (var (serviceUrl, pathStyle) in Endpoints)
            foreach (var key in Keys)
                data.Add(serviceUrl, pathStyle, key);
        return data;
    }

    private static S3Endpoint Endpoint(string serviceUrl, bool pathStyle) =>
        new(
            serviceUrl,
            serviceUrl.Contains("eu-west-1") ? "eu-west-1" : "us-east-1",
            pathStyle,
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        );

    [Theory]
    [MemberData(nameof(EndpointsAndKeys))]
    public void A_small_put_is_signed_as_the_SDK_signs_it(string serviceUrl, bool pathStyle, string key) =>
        SignedAlike(Endpoint(serviceUrl, pathStyle), HttpMethod.Put, key, [], "{\"small\":\"body ü\"}"u8.ToArray());

    [Theory]
    [MemberData(nameof(EndpointsAndKeys))]
    public void An_empty_put_is_signed_as_the_SDK_signs_it(string serviceUrl, bool pathStyle, string key) =>
        SignedAlike(Endpoint(serviceUrl, pathStyle), HttpMethod.Put, key, [], []);

    [Theory]
    [MemberData(nameof(EndpointsAndKeys))]
    public void A_get_is_signed_as_the_SDK_signs_it(string serviceUrl, bool pathStyle, string key) =>
        SignedAlike(Endpoint(serviceUrl, pathStyle), HttpMethod.Get, key, [], null);

    [Theory]
    [MemberData(nameof(EndpointsAndKeys))]
    public void A_delete_is_signed_as_the_SDK_signs_it(string serviceUrl, bool pathStyle, string key) =>
        SignedAlike(Endpoint(serviceUrl, pathStyle), HttpMethod.Delete, key, [], null);

    [Theory]
    [MemberData(nameof(EndpointsAndKeys))]
    public void A_listing_with_prefix_and_marker_is_signed_as_the_SDK_signs_it(string serviceUrl, bool pathStyle, string key) =>
        SignedAlike(Endpoint(serviceUrl, pathStyle), HttpMethod.Get, "",
            [new("marker", key + "/last"), new("max-keys", "1000"), new("prefix", key)], null);

    /// <summary>An assumed role's keys (what aws-actions/configure-aws-credentials exports in CI) are refused by S3 without
    /// their session token: it goes as x-amz-security-token, signed, as the SDK sends it.</summary>
    [Theory]
    [InlineData("https://s3.eu-west-1.amazonaws.com", false)]
    [InlineData("http://127.0.0.1:23000", true)]
    public void A_request_with_temporary_credentials_carries_and_signs_its_session_token(string serviceUrl, bool pathStyle)
    {
        var endpoint = Endpoint(serviceUrl, pathStyle) with { SessionToken = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=" };
        SignedAlike(endpoint, HttpMethod.Put, "locks/production.deploy.lock", [], "{}"u8.ToArray());
        using var ours = S3SignedRequest.Create(endpoint, "b", HttpMethod.Get, "k", [], null, At);
        ours.Headers.GetValues("x-amz-security-token").Single().Should().Be(endpoint.SessionToken);
        ours.Headers.GetValues("Authorization").Single().Should().Contain("x-amz-security-token");
    }

    /// <summary>S3Direct's request, and the same request given to the SDK's signer at the same instant.</summary>
    private static void SignedAlike(
        S3Endpoint endpoint,
        HttpMethod method,
        string key,
        KeyValuePair<string, string>[] query,
        byte[]? payload
    )
    {
        const string bucket = "team-backups";
        using var ours = S3SignedRequest.Create(endpoint, bucket, method, key, query, payload, At);

        var service = new Uri(endpoint.ServiceUrl);
        var sdk = new DefaultRequest(new PutObjectRequest(), "Amazon.S3")
        {
            HttpMethod = method.Method,
            Endpoint = new Uri($"{service.Scheme}://{(endpoint.PathStyle ? "" : bucket + ".")}{service.Authority}"),
            UseDoubleEncoding = false, // S3 encodes the path once
            ResourcePath = service.AbsolutePath.TrimEnd('/') + (endpoint.PathStyle ? "/{Bucket}" : "") + (key.Length > 0 ? "/{Key+}" : ""),
            Content = payload,
        };
        if (endpoint.PathStyle) sdk.AddPathResource("{Bucket}", bucket);
        if (key.Length > 0) sdk.AddPathResource("{Key+}", key);
        if (sdk.ResourcePath.Length == 0) sdk.ResourcePath = "/";
        foreach (var (name, value) in query) sdk.Parameters[name] = value;
        // The SDK's credentials step adds the session token as a header before it signs (AmazonS3Client does so).
        if (endpoint.SessionToken is { } token) sdk.Headers["x-amz-security-token"] = token;
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.ServiceUrl,
            AuthenticationRegion = endpoint.Region,
            ForcePathStyle = endpoint.PathStyle,
        };

        var expected = new AWS4Signer().SignRequest(sdk, config, null, endpoint.AccessKey, endpoint.SecretKey, At.UtcDateTime);

        ours.Headers.GetValues("x-amz-content-sha256").Single().Should().Be(sdk.Headers["X-Amz-Content-SHA256"]);
        ours.Headers.GetValues("Authorization").Single().Should().Be(expected.ForAuthorizationHeader);
    }
}
