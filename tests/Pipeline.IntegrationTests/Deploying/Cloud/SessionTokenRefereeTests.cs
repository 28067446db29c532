using FluentAssertions;
using Pipeline.IntegrationTests.Dns;
using Pipeline.Tools.Aws;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>
/// Role credentials (what the OIDC step of CI hands out) carry a session token. The LOCAL FAKES of Auto Scaling, EC2 and
/// Route 53 accept a call only with that token, signed; the official AWS SDK for JavaScript, signing with the token,
/// referees that they accept what AWS accepts, and that a call without it, or with another, is refused in the error the
/// SDK reads.
/// </summary>
public sealed class SessionTokenRefereeTests
{
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly AwsCredentials Role = CloudGroups.Credentials with { SessionToken = Token };

    /// <summary>One fake, the SDK call that reads from it, and a bare request of that call (method, path, query API body).</summary>
    private sealed record Fake(IDisposable Server, Uri Endpoint, string Command, JsonObject Input, string Method, string Path, string Body)
        : IDisposable
    {
        public void Dispose() => Server.Dispose();
    }

    private static Fake Start(CloudReferee referee, string service)
    {
        if (service == "route53")
        {
            var dns = new FakeRoute53(referee, Role, "example.test");
            return new(dns, dns.Endpoint, "ListResourceRecordSets", new() { ["HostedZoneId"] = FakeRoute53.HostedZone }, "GET",
                $"/2013-04-01/hostedzone/{FakeRoute53.HostedZone}/rrset", "");
        }
        var cloud = new AwsCloudFake(referee, Role, AwsCloudFake.Refreshes.Succeed);
        return service == "ec2"
            ? new(cloud, cloud.Endpoint, "DescribeInstances", new(), "POST", cloud.Endpoint.AbsolutePath,
                "Action=DescribeInstances&Version=2016-11-15")
            : new(cloud, cloud.Endpoint, "DescribeAutoScalingGroups", new(), "POST", cloud.Endpoint.AbsolutePath,
                "Action=DescribeAutoScalingGroups&Version=2011-01-01");
    }

    [Theory]
    [InlineData("autoscaling", "InvalidClientTokenId")]
    [InlineData("ec2", "AuthFailure")]
    [InlineData("route53", "InvalidClientTokenId")]
    public async Task The_official_SDK_s_call_with_the_session_token_passes_and_without_it_or_with_another_is_refused(
        string service,
        string code
    )
    {
        var referee = await CloudReferee.SharedAsync();
        using var fake = Start(referee, service);

        Task<JsonObject> Sdk(string? token) =>
            referee.AwsAsync(service, fake.Command, fake.Input, fake.Endpoint, Role.AccessKeyId, Role.SecretAccessKey, token);

        (await Sdk(Token))["output"].Should().NotBeNull("the SDK signs with the token, and the fake accepts that");
        foreach (var token in new[] { null, "IQoJb3JpZ2luX2VjOTHERTOKEN" })
        {
            var refused = await Sdk(token);
            refused["error"]?["name"]?.GetValue<string>().Should().Be(code, refused.ToJsonString());
        }
    }

    [Theory]
    [InlineData("autoscaling")]
    [InlineData("ec2")]
    [InlineData("route53")]
    public async Task A_session_token_sent_but_left_out_of_the_signature_is_refused(string service)
    {
        var referee = await CloudReferee.SharedAsync();
        using var fake = Start(referee, service);
        using var http = new HttpClient();

        async Task<int> SendAsync(bool signsTheToken)
        {
            var at = DateTimeOffset.UtcNow;
            var headers = new Dictionary<string, string>
            {
                ["host"] = $"{fake.Endpoint.Host}:{fake.Endpoint.Port}",
                ["x-amz-date"] = SigV4.AmzDate(at),
            };
            if (fake.Method == "POST") headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8";
            if (signsTheToken) headers["x-amz-security-token"] = Token;
            var (region, name) = service == "route53" ? ("us-east-1", "route53") : ("eu-west-1", service);
            var authorization = SigV4.Authorization(Role, region, name, at, fake.Method, fake.Path, [], headers,
                SigV4.HashHex(Encoding.UTF8.GetBytes(fake.Body)));
            using var request = new HttpRequestMessage(new HttpMethod(fake.Method), new Uri(fake.Endpoint, fake.Path));
            if (fake.Method == "POST")
            {
                request.Content = new StringContent(fake.Body);
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(headers["content-type"]);
            }
            request.Headers.TryAddWithoutValidation("X-Amz-Date", headers["x-amz-date"]);
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", Token);
            using var response = await http.SendAsync(request, Ct);
            return (int)response.StatusCode;
        }

        (await SendAsync(signsTheToken: true)).Should().Be(200, "the same request with the token signed is accepted");
        (await SendAsync(signsTheToken: false)).Should().BeOneOf([401, 403], "the SDK's signer signs the token it sends");
    }
}
