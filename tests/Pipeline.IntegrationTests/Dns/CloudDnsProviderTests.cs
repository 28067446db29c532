using FluentAssertions;
using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.IntegrationTests.Deploying.Cloud;
using Pipeline.Tools.Route53;
using Xunit;

namespace Pipeline.IntegrationTests.Dns;

/// <summary>
/// The Dns step through the cloudflare and route53 providers against their local fakes (FakeCloudflareApi, FakeRoute53): a
/// group's records created, left alone by a second run, changed and deleted as members come and go, each with its ownership
/// marker; a name someone else holds is refused before anything is written.
/// </summary>
public sealed class CloudDnsProviderTests
{
    private const string Zone = "example.test";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly HttpClient Http = new();

    /// <summary>A provider over a fake: what the fake holds, how many writes it took, and a record put there by someone else.</summary>
    private sealed record FakeZone(
        IDnsProvider Provider, Func<IReadOnlyList<string>> Records, Func<int> Writes, Action<string, string> Seed);

    private static DnsStep Step(IDnsProvider provider, DnsProviderDefinition definition, params DnsGroupRecords[] records) =>
        new(new DnsDefinition(Zone, 60, "staging", definition,
            new Dictionary<string, DnsProviderDefinition> { [definition.Name] = definition }, records), provider);

    private static Dictionary<string, IReadOnlyList<DnsMember>> Members(params (string Instance, string Address)[] members) =>
        new() { ["web"] = members.Select(m => new DnsMember(m.Instance, m.Address)).ToList() };

    private static async Task Scenario(FakeZone zone, DnsProviderDefinition definition)
    {
        var step = Step(zone.Provider, definition, new DnsGroupRecords("web", "web", null, null, true));

        var created = await step.ApplyAsync(Members(("web-1", "10.0.0.1:8080"), ("web-2", "10.0.0.2:8080")), Ct);
        created.Changes.Select(c => c.Line).Should().Contain(
            "+ A web.example.test 10.0.0.1,10.0.0.2",
            "+ A web-1.example.test 10.0.0.1",
            "+ TXT _pipeline.web-2.example.test heritage=pipeline,owner=staging");
        zone.Records().Should()
            .Contain(r => r.Contains("_pipeline.web.example.test") && r.Contains("records=web-1.example.test,web-2.example.test"));
        var writes = zone.Writes();

        var again = await step.ApplyAsync(Members(("web-1", "10.0.0.1:8080"), ("web-2", "10.0.0.2:8080")), Ct);
        again.HasChanges.Should().BeFalse();
        zone.Writes().Should().Be(writes, "a second run writes nothing");

        var changed = await step.ApplyAsync(Members(("web-1", "10.0.0.9:8080")), Ct);
        changed.Changes.Select(c => c.Line).Should().BeEquivalentTo(
            "~ A web.example.test 10.0.0.1,10.0.0.2 → 10.0.0.9",
            "~ TXT _pipeline.web.example.test heritage=pipeline,owner=staging,records=web-1.example.test,web-2.example.test → "
            + "heritage=pipeline,owner=staging,records=web-1.example.test",
            "~ A web-1.example.test 10.0.0.1 → 10.0.0.9",
            "- A web-2.example.test 10.0.0.2",
            "- TXT _pipeline.web-2.example.test heritage=pipeline,owner=staging");
        zone.Records().Should().NotContain(r => r.Contains("web-2"))
            .And.Contain(r => r.Contains("web-1.example.test") && r.Contains("10.0.0.9"));
        (await step.ApplyAsync(Members(("web-1", "10.0.0.9:8080")), Ct)).HasChanges.Should().BeFalse();
    }

    private static async Task Refusal(FakeZone zone, DnsProviderDefinition definition)
    {
        zone.Seed("api.example.test", "192.0.2.1");
        var before = zone.Records();
        var step = Step(zone.Provider, definition, new DnsGroupRecords("web", "web", null, null, false),
            new DnsGroupRecords("api", "api", "203.0.113.5", null, false));

        var act = () => step.ApplyAsync(new Dictionary<string, IReadOnlyList<DnsMember>>
        {
            ["web"] = [new DnsMember("web-1", "10.0.0.1:8080")],
            ["api"] = [],
        }, Ct);

        (await act.Should().ThrowAsync<PipelineException>()).Which.Message.Should()
            .Contain("A api.example.test 192.0.2.1 is not Pipeline's")
            .And.Contain("TXT _pipeline.api.example.test \"heritage=pipeline,owner=staging\"");
        zone.Records().Should().Equal(before, "nothing is written when a name is refused");
    }

    private static (FakeCloudflareApi, FakeZone, CloudflareProviderDefinition) Cloudflare()
    {
        var fake = new FakeCloudflareApi(Zone);
        var definition = new CloudflareProviderDefinition("cf", fake.Api);
        var provider = new CloudflareProvider(Zone, definition, FakeCloudflareApi.Token, Http);
        return (fake, new FakeZone(provider, fake.Records, () => fake.Calls.Count(c => c.Method != "GET"), (n, a) => fake.Seed(n, "A", a)),
            definition);
    }

    private static async Task<(FakeRoute53, FakeZone, Route53ProviderDefinition)> Route53()
    {
        var fake = new FakeRoute53(await CloudReferee.SharedAsync(), CloudGroups.Credentials, Zone);
        var definition = new Route53ProviderDefinition("r53", FakeRoute53.HostedZone, fake.Endpoint);
        var provider = new Route53Provider(Zone, definition, new Route53Client(Http, fake.Endpoint, CloudGroups.Credentials));
        var writes = () => fake.Calls.Count(c => c.Method != "GET");
        return (fake, new FakeZone(provider, fake.Sets, writes, (n, a) => fake.Seed(n, "A", 300, a)), definition);
    }

    [Fact]
    public async Task Cloudflare_records_follow_the_members_with_their_markers_and_a_second_run_changes_nothing()
    {
        var (fake, zone, definition) = Cloudflare();
        using (fake) await Scenario(zone, definition);
        fake.Calls.Should().OnlyContain(c => c.Accepted);
    }

    [Fact]
    public async Task Cloudflare_refuses_a_name_it_does_not_own_naming_the_record_and_the_marker_expected()
    {
        var (fake, zone, definition) = Cloudflare();
        using (fake) await Refusal(zone, definition);
    }

    [Fact]
    public async Task Cloudflare_applies_a_change_as_one_batch_and_a_refused_batch_leaves_every_record_as_it_was()
    {
        using var fake = new FakeCloudflareApi(Zone);
        fake.Seed("old.example.test", "CNAME", "elsewhere.example.test");
        var provider = new CloudflareProvider(Zone, new CloudflareProviderDefinition("cf", fake.Api), FakeCloudflareApi.Token, Http);
        var before = fake.Records();

        var act = () => provider.ReplaceAsync([
            Pipeline.Tools.Dns.DnsRecordSet.Of("web.example.test", Pipeline.Tools.Dns.DnsRecordType.A, 60, ["10.0.0.1"]),
            Pipeline.Tools.Dns.DnsRecordSet.Of("old.example.test", Pipeline.Tools.Dns.DnsRecordType.A, 60, ["10.0.0.2"]),
        ], Ct);

        (await act.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("81053");
        fake.Records().Should().Equal(before, "the A record of web, first in the batch, is not kept either");
        fake.Calls.Where(c => c.Method != "GET").Should().ContainSingle().Which.Path.Should().EndWith("/dns_records/batch");
    }

    [Fact]
    public async Task Cloudflare_with_a_wrong_token_fails_naming_the_variable_and_never_the_token()
    {
        using var fake = new FakeCloudflareApi(Zone);
        var provider = new CloudflareProvider(Zone, new CloudflareProviderDefinition("cf", fake.Api), "wrong-token-value", Http);

        var act = () => provider.ReadAsync("web.example.test", Pipeline.Tools.Dns.DnsRecordType.A, Ct);

        var message = (await act.Should().ThrowAsync<PipelineException>()).Which.Message;
        message.Should().Contain("10000: Authentication error").And.Contain("CLOUDFLARE_API_TOKEN").And.NotContain("wrong-token-value");
    }

    [Fact]
    public async Task Route53_records_follow_the_members_in_one_batch_each_run_and_a_second_run_changes_nothing()
    {
        var (fake, zone, definition) = await Route53();
        using (fake) await Scenario(zone, definition);
        fake.Calls.Should().OnlyContain(c => c.Accepted, "the fake (with @smithy/signature-v4 as its verifier) accepts every call");
        fake.Calls.Count(c => c.Operation == "ChangeResourceRecordSets").Should().Be(2, "one batch per run that changes something");
        fake.Calls.Should().Contain(c => c.Operation == "GetChange");
    }

    [Fact]
    public async Task Route53_refuses_a_name_it_does_not_own_naming_the_record_and_the_marker_expected()
    {
        var (fake, zone, definition) = await Route53();
        using (fake) await Refusal(zone, definition);
    }
}
