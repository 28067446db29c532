using FluentAssertions;
using Pipeline.IntegrationTests.Deploying;
using Pipeline.IntegrationTests.Deploying.Cloud;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.Dns;

/// <summary>
/// <c>Deploy Dns</c> as a user runs it (the build as a process, after a real Docker deploy behind HAProxy) with the cloud
/// providers pointed at the LOCAL FAKES of Cloudflare's API and Route 53 (each refereed by its official SDK in
/// <see cref="CloudDnsSdkRefereeTests"/>): the credentials come as a user gives them (the token parameter, the AWS
/// variables), the records follow the group, and a second run changes nothing. Deploy ports 25470–25479.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class DnsThroughCloudFakesTests(DeployFixture fixture)
{
    private const string Zone = "cloud.test";

    private const string Policy = """
              batch: 1
              min_healthy_percent: 50
              drain_timeout: 5s
              stop_timeout: 5s
        """;

    private static string Section(string provider) => $$"""
        dns:
          zone: {{Zone}}
          ttl: 60
          provider: edge
          providers:
            edge: {{provider}}
          records:
            web: {address: 10.0.0.4, instances: true}
        """;

    private static readonly string[] Expected =
    [
        "A web.cloud.test 10.0.0.4",
        "A web-1.cloud.test 127.0.0.1",
        "A web-2.cloud.test 127.0.0.1",
        "TXT _pipeline.web.cloud.test heritage=pipeline,owner=",
    ];

    [Fact]
    public async Task Deploy_and_Dns_write_the_groups_records_through_the_Cloudflare_API_with_the_token_parameter()
    {
        using var cloudflare = new FakeCloudflareApi(Zone);
        var provider = $"{{type: cloudflare, api: '{cloudflare.Api}'}}";
        await using var env = new TestEnvironment(fixture, "test-dns-cf", 25470, 2, Policy, Section(provider));
        await env.StartAsync();
        env.Publish(fixture.V1);
        string[] token = ["--cloudflare-api-token", FakeCloudflareApi.Token];

        var deploy = await env.RunAsync(["Deploy", "Dns", .. token]);

        deploy.ExitCode.Should().Be(0, TestEnvironment.Output(deploy));
        TestEnvironment.Output(deploy).Should().Contain("+ A web.cloud.test 10.0.0.4").And.NotContain(FakeCloudflareApi.Token);
        var records = cloudflare.Records();
        foreach (var expected in Expected) records.Should().Contain(r => r.StartsWith(expected, StringComparison.Ordinal), expected);
        cloudflare.Calls.Should().OnlyContain(c => c.Accepted);
        cloudflare.Calls.Count(c => c.Method == "POST").Should().Be(1, "the whole change goes as one batch");

        var again = await env.RunAsync(["Dns", .. token]);
        again.ExitCode.Should().Be(0, TestEnvironment.Output(again));
        TestEnvironment.Output(again).Should().Contain($"DNS {Zone}: no changes");
        cloudflare.Calls.Count(c => c.Method == "POST").Should().Be(1, "a second run writes nothing");
        cloudflare.Records().Should().Equal(records);
    }

    [Fact]
    public async Task Deploy_and_Dns_write_the_groups_records_through_Route53_with_the_AWS_variables_and_wait_for_INSYNC()
    {
        using var route53 = new FakeRoute53(await CloudReferee.SharedAsync(), CloudGroups.Credentials, Zone);
        var provider = $"{{type: route53, hosted_zone: {FakeRoute53.HostedZone}, endpoint: '{route53.Endpoint}'}}";
        await using var env = new TestEnvironment(fixture, "test-dns-r53", 25475, 2, Policy, Section(provider));
        await env.StartAsync();
        env.Publish(fixture.V1);
        Task<CliWrap.Buffered.BufferedCommandResult> Run(params string[] targets) => env.Build(targets)
            .WithEnvironment("AWS_ACCESS_KEY_ID", CloudGroups.Credentials.AccessKeyId)
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", CloudGroups.Credentials.SecretAccessKey)
            .RunBufferedAsync();

        var deploy = await Run("Deploy", "Dns");

        deploy.ExitCode.Should().Be(0, TestEnvironment.Output(deploy));
        TestEnvironment.Output(deploy).Should().Contain("is INSYNC").And.NotContain(CloudGroups.Credentials.SecretAccessKey);
        var sets = route53.Sets();
        sets.Should().Contain(s => Holds(s, "web.cloud.test", "10.0.0.4"));
        sets.Should().Contain(s => Holds(s, "web-1.cloud.test", "127.0.0.1"));
        route53.Calls.Should().OnlyContain(c => c.Accepted, "the fake, with @smithy/signature-v4 as its verifier, accepts every call");

        var again = await Run("Dns");
        again.ExitCode.Should().Be(0, TestEnvironment.Output(again));
        TestEnvironment.Output(again).Should().Contain($"DNS {Zone}: no changes");
        route53.Calls.Count(c => c.Operation == "ChangeResourceRecordSets").Should().Be(1, "a second run writes nothing");
    }

    private static bool Holds(string set, string name, string value) =>
        set.StartsWith($"A {name}", StringComparison.Ordinal) && set.EndsWith($" 60 {value}", StringComparison.Ordinal);
}
