using FluentAssertions;
using Pipeline.Dns;
using Pipeline.IntegrationTests.Deploying.Cloud;
using Pipeline.Tools.Dns;
using Pipeline.Tools.Route53;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Xunit;

namespace Pipeline.IntegrationTests.Dns;

/// <summary>
/// The official SDKs as referees of Pipeline's DNS calls and of the fakes: the <c>cloudflare</c> library and
/// @aws-sdk/client-route-53 make each call Pipeline makes against the same local fake; the fake parses the SDK's request as
/// it parsed Pipeline's, and the SDK reads the fake's answers to the same values Pipeline read.
/// </summary>
public sealed class CloudDnsSdkRefereeTests
{
    private const string Zone = "example.test";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly HttpClient Http = new();

    private static DnsRecordSet Set(string name, DnsRecordType type, params string[] values) => DnsRecordSet.Of(name, type, 60, values);

    private static JsonNode Result(JsonObject answer) =>
        answer["result"] ?? throw new Xunit.Sdk.XunitException($"the cloudflare library did not accept the fake's answer: {answer}");

    [Fact]
    public async Task Every_Cloudflare_call_Pipeline_makes_parses_the_same_when_the_official_library_makes_it_and_it_reads_the_answers()
    {
        var referee = await CloudReferee.SharedAsync();
        using var pipelineFake = new FakeCloudflareApi(Zone);
        var provider = new CloudflareProvider(
            Zone, new CloudflareProviderDefinition("cf", pipelineFake.Api), FakeCloudflareApi.Token, Http);
        await provider.ReplaceAsync([Set("web.example.test", DnsRecordType.A, "10.0.0.1"),
            Set("_pipeline.web.example.test", DnsRecordType.TXT, "heritage=pipeline,owner=staging")], Ct);
        await provider.ReplaceAsync([Set("web.example.test", DnsRecordType.A, "10.0.0.9")], Ct);
        var read = await provider.ReadAsync("web.example.test", DnsRecordType.A, Ct);
        await provider.ReplaceAsync([Set("web.example.test", DnsRecordType.A)], Ct);
        pipelineFake.Calls.Should().OnlyContain(c => c.Accepted);
        var first = pipelineFake.Calls.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.First());
        var batches = pipelineFake.Calls.Where(c => c.Kind == "POST /zones/{id}/dns_records/batch").Select(c => c.Body!).ToList();
        batches.Select(b => string.Join(',', b.Select(p => p.Key))).Should().Equal(["posts", "puts", "deletes"]);

        using var fake = new FakeCloudflareApi(Zone);
        Task<JsonObject> Sdk(string method, params JsonNode[] args) =>
            referee.CloudflareAsync(method, new JsonArray(args.Select(a => a.DeepClone()).ToArray()), fake.Api, FakeCloudflareApi.Token);
        var zones = Result(await Sdk("zones.list", new JsonObject { ["name"] = Zone }));
        zones["result"]![0]!["id"]!.GetValue<string>().Should().Be(FakeCloudflareApi.ZoneId);
        var zoneId = new JsonObject { ["zone_id"] = FakeCloudflareApi.ZoneId };
        var posted = Result(await Sdk("dns.records.batch", With(zoneId, batches[0])));
        posted["posts"]!.AsArray().Select(r => r!["content"]!.GetValue<string>()).Should()
            .Equal(["10.0.0.1", "heritage=pipeline,owner=staging"], "the library reads the records the batch created");
        var id = posted["posts"]![0]!["id"]!.GetValue<string>();
        batches[1]["puts"]![0]!["id"]!.GetValue<string>().Should().Be(id, "the fake gives the same ids in the same order");
        Result(await Sdk("dns.records.batch", With(zoneId, batches[1])))["puts"]![0]!["content"]!
            .GetValue<string>().Should().Be("10.0.0.9");
        var query = first["GET /zones/{id}/dns_records"].Query;
        var list = Result(await Sdk("dns.records.list", With(zoneId, new JsonObject
        {
            ["name"] = new JsonObject { ["exact"] = query["name.exact"] },
            ["type"] = query["type"],
            ["per_page"] = int.Parse(query["per_page"], System.Globalization.CultureInfo.InvariantCulture),
        })));
        list["result"]!.AsArray().Select(r => r!["content"]!.GetValue<string>()).Should()
            .Equal(read.Values, "the library reads what Pipeline read");
        list["result_info"]!["total_count"]!.GetValue<int>().Should().Be(1);
        Result(await Sdk("dns.records.batch", With(zoneId, batches[2])))["deletes"]![0]!["id"]!
            .GetValue<string>().Should().Be(id);
        fake.Records().Should().Equal(pipelineFake.Records(), "the library's batches leave the zone as Pipeline's left it");
        var refused = await referee.CloudflareAsync("dns.records.batch", [With(zoneId, batches[0])], fake.Api, "wrong");
        refused["error"]!["status"]!.GetValue<int>().Should().Be(403);
        var conflict = await referee.CloudflareAsync("dns.records.batch", [With(zoneId, new JsonObject
        {
            ["posts"] = new JsonArray(
                new JsonObject { ["name"] = "x.example.test", ["type"] = "A", ["content"] = "10.0.0.2", ["ttl"] = 60 },
                new JsonObject { ["name"] = "x.example.test", ["type"] = "CNAME", ["content"] = "y.example.test", ["ttl"] = 60 }),
        })], fake.Api, FakeCloudflareApi.Token);
        conflict["error"]!["status"]!.GetValue<int>().Should().Be(400, "the library reads the fake's refusal as an API error");
        fake.Records().Should().Equal(pipelineFake.Records(), "a refused batch keeps none of its operations");

        var sdk = fake.Calls.Where(c => c.Accepted).GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.ToList());
        sdk.Keys.Should().BeEquivalentTo(first.Keys, "every kind of call Pipeline makes has a referee");
        sdk["GET /zones/{id}/dns_records"][0].Query.Should().Equal(query, "Pipeline's list query should parse like the library's");
        sdk["GET /zones"][0].Query.Should().Equal(first["GET /zones"].Query, "Pipeline's zone query should parse like the library's");
        var sdkBatches = sdk["POST /zones/{id}/dns_records/batch"];
        sdkBatches.Should().HaveCount(batches.Count);
        foreach (var (mine, theirs) in batches.Zip(sdkBatches))
            JsonNode.DeepEquals(theirs.Body, mine).Should().BeTrue(
                $"Pipeline's batch {mine.ToJsonString()} should parse like the library's {theirs.Body?.ToJsonString()}");
    }

    private static JsonObject With(JsonObject a, JsonObject b)
    {
        var merged = a.DeepClone().AsObject();
        foreach (var (k, v) in b) merged[k] = v?.DeepClone();
        return merged;
    }

    private static Task<JsonObject> Route53Sdk(
        CloudReferee referee, FakeRoute53 fake, string command, JsonObject input, string? secret = null) =>
        referee.AwsAsync("route53", command, input, fake.Endpoint, CloudGroups.Credentials.AccessKeyId,
            secret ?? CloudGroups.Credentials.SecretAccessKey);

    private static JsonObject Output(JsonObject answer) =>
        answer["output"] as JsonObject ?? throw new Xunit.Sdk.XunitException($"the SDK did not accept the fake's answer: {answer}");

    /// <summary>A change batch as Route 53 reads it: comment, then each change's action, name, type, TTL and values.</summary>
    private static IReadOnlyList<string> Batch(string body)
    {
        var xml = XElement.Parse(body);
        return xml.Descendants().Where(e => e.Name.LocalName == "Comment").Select(e => $"comment {e.Value}")
            .Concat(xml.Descendants().Where(e => e.Name.LocalName == "Change").Select(c => string.Join(' ',
                c.Descendants().Where(e => e.Name.LocalName is "Action" or "Name" or "Type" or "TTL" or "Value").Select(e => e.Value))))
            .ToList();
    }

    [Fact]
    public async Task Every_Route53_call_Pipeline_makes_parses_the_same_when_the_official_SDK_makes_it_and_the_SDK_reads_the_answers()
    {
        var referee = await CloudReferee.SharedAsync();
        using var pipelineFake = new FakeRoute53(referee, CloudGroups.Credentials, Zone);
        var definition = new Route53ProviderDefinition("r53", FakeRoute53.HostedZone, pipelineFake.Endpoint);
        var provider = new Route53Provider(Zone, definition, new Route53Client(Http, pipelineFake.Endpoint, CloudGroups.Credentials));
        var sets = new[] { Set("web.example.test", DnsRecordType.A, "10.0.0.1", "10.0.0.2"),
            Set("_pipeline.web.example.test", DnsRecordType.TXT, "heritage=pipeline,owner=staging") };
        await provider.ReplaceAsync(sets, Ct);
        await provider.WaitServedAsync(sets, TimeSpan.FromSeconds(30), Ct);
        var read = await provider.ReadAsync("web.example.test", DnsRecordType.A, Ct);
        await provider.ReplaceAsync([Set("web.example.test", DnsRecordType.A)], Ct);
        pipelineFake.Calls.Should()
            .OnlyContain(c => c.Accepted, "the fake (with @smithy/signature-v4 as its verifier) accepts Pipeline's calls");
        var changes = pipelineFake.Calls.Where(c => c.Operation == "ChangeResourceRecordSets").ToList();
        var list = pipelineFake.Calls.First(c => c.Operation == "ListResourceRecordSets");

        using var fake = new FakeRoute53(referee, CloudGroups.Credentials, Zone);
        foreach (var change in changes)
        {
            var batch = XElement.Parse(change.Body).Descendants().First(e => e.Name.LocalName == "ChangeBatch");
            var input = new JsonObject { ["HostedZoneId"] = FakeRoute53.HostedZone, ["ChangeBatch"] = ChangeBatch(batch) };
            var info = Output(await Route53Sdk(referee, fake, "ChangeResourceRecordSets", input))["ChangeInfo"]!;
            info["Status"]!.GetValue<string>().Should().Be("PENDING");
            var changeId = info["Id"]!.GetValue<string>();
            changeId.Should().StartWith("/change/C");
            Output(await Route53Sdk(referee, fake, "GetChange", new() { ["Id"] = changeId }))["ChangeInfo"]!["Status"]!.GetValue<string>()
                .Should().Be("PENDING");
            Output(await Route53Sdk(referee, fake, "GetChange", new() { ["Id"] = changeId }))["ChangeInfo"]!["Status"]!.GetValue<string>()
                .Should().Be("INSYNC");
            if (fake.Calls.Count(c => c.Operation == "ChangeResourceRecordSets") == 1)
            {
                var listed = Output(await Route53Sdk(referee, fake, "ListResourceRecordSets", new()
                {
                    ["HostedZoneId"] = FakeRoute53.HostedZone,
                    ["StartRecordName"] = list.Query["name"],
                    ["StartRecordType"] = list.Query["type"],
                    ["MaxItems"] = int.Parse(list.Query["maxitems"], System.Globalization.CultureInfo.InvariantCulture),
                }));
                var set = listed["ResourceRecordSets"]![0]!;
                set["Name"]!.GetValue<string>().Should().Be("web.example.test.");
                set["TTL"]!.GetValue<int>().Should().Be(read.Ttl);
                set["ResourceRecords"]!.AsArray().Select(r => r!["Value"]!.GetValue<string>()).Should().Equal(read.Values);
                listed["IsTruncated"]!.GetValue<bool>().Should().BeTrue();
            }
        }
        var refused = await Route53Sdk(referee, fake, "GetChange", new() { ["Id"] = "C0001EXAMPLE6TXR" }, secret: "wrong");
        refused["error"]!["name"]!.GetValue<string>().Should().Be("SignatureDoesNotMatch");

        var sdk = fake.Calls.Where(c => c.Accepted).ToList();
        sdk.Select(c => c.Operation).Distinct().Should().BeEquivalentTo(pipelineFake.Calls.Select(c => c.Operation).Distinct(),
            "every call Pipeline makes has a referee");
        sdk.Where(c => c.Operation == "ChangeResourceRecordSets").Select(c => Batch(c.Body)).Should()
            .BeEquivalentTo(changes.Select(c => Batch(c.Body)), o => o.WithStrictOrdering(), "Pipeline's batches parse like the SDK's");
        sdk.First(c => c.Operation == "ListResourceRecordSets").Query.Should().Equal(list.Query);
        sdk.Where(c => c.Operation != "ChangeResourceRecordSets").Select(c => c.Path.Split('/')[2]).Distinct().Should()
            .BeEquivalentTo(pipelineFake.Calls.Where(c => c.Operation != "ChangeResourceRecordSets")
                .Select(c => c.Path.Split('/')[2]).Distinct());
    }

    /// <summary>Pipeline's ChangeBatch XML as the SDK's input.</summary>
    private static JsonObject ChangeBatch(XElement batch)
    {
        XElement? Child(XElement e, string name) => e.Elements().FirstOrDefault(c => c.Name.LocalName == name);
        return new JsonObject
        {
            ["Comment"] = Child(batch, "Comment")?.Value,
            ["Changes"] = new JsonArray(Child(batch, "Changes")!.Elements().Select(change =>
            {
                var set = Child(change, "ResourceRecordSet")!;
                return (JsonNode)new JsonObject
                {
                    ["Action"] = Child(change, "Action")!.Value,
                    ["ResourceRecordSet"] = new JsonObject
                    {
                        ["Name"] = Child(set, "Name")!.Value,
                        ["Type"] = Child(set, "Type")!.Value,
                        ["TTL"] = int.Parse(Child(set, "TTL")!.Value, System.Globalization.CultureInfo.InvariantCulture),
                        ["ResourceRecords"] = new JsonArray(Child(set, "ResourceRecords")!.Elements()
                            .Select(r => (JsonNode)new JsonObject { ["Value"] = Child(r, "Value")!.Value }).ToArray()),
                    },
                };
            }).ToArray()),
        };
    }
}
