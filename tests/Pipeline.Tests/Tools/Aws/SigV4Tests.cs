using FluentAssertions;
using Pipeline.Tools.Aws;
using Xunit;

namespace Pipeline.Tests.Tools.Aws;

/// <summary>AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite, 2015-08-30, AKIDEXAMPLE).</summary>
public class SigV4Tests
{
    private static readonly AwsCredentials Suite = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset At = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static Dictionary<string, string> Headers(params (string, string)[] extra)
    {
        var headers = new Dictionary<string, string> { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = "20150830T123600Z" };
        foreach (var (k, v) in extra) headers[k] = v;
        return headers;
    }

    [Theory]
    [InlineData("get-vanilla", "GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("post-vanilla", "POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    public void Vanilla_requests_match_the_suite(string vector, string method, string signature)
    {
        SigV4
            .Authorization(Suite, "us-east-1", "service", At, method, "/", [], Headers(), EmptyHash)
            .Should()
            .Be(
                $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
                + $"Signature={signature}",
                vector
            );
    }

    [Fact]
    public void Get_vanilla_query_order_key_case_sorts_the_query()
    {
        SigV4
            .Authorization(
                Suite,
                "us-east-1",
                "service",
                At,
                "GET",
                "/",
                [new("Param2", "value2"), new("Param1", "value1")],
                Headers(),
                EmptyHash
            )
            .Should()
            .EndWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    [Fact]
    public void Post_x_www_form_urlencoded_matches_canonical_request_string_to_sign_and_signature()
    {
        var headers = Headers(("Content-Type", "application/x-www-form-urlencoded"));
        var payload = SigV4.HashHex("Param1=value1"u8.ToArray());
        var (canonical, signed) = SigV4.CanonicalRequest("POST", "/", [], headers, payload);

        canonical
            .Should()
            .Be(
                "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
            );
        SigV4
            .StringToSign(At, SigV4.Scope(At, "us-east-1", "service"), canonical)
            .Should()
            .Be(
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"
            );
        signed.Should().Be("content-type;host;x-amz-date");
        SigV4.Authorization(Suite, "us-east-1", "service", At, "POST", "/", [], headers, payload)
            .Should().EndWith("Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
    }
}
