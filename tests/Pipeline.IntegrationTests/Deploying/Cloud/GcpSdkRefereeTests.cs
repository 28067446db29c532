using FluentAssertions;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>
/// Google's @google-cloud/compute (REST transport) as the referee of Pipeline's Compute Engine calls: the same call
/// made through the client library against the same local fake parses to the same method, path and body — the
/// library re-encodes Pipeline's resources through Compute Engine's protos, so a misnamed or mistyped field would
/// differ —, the library reads the fake's answers, and requests Compute Engine refuses are refused in Google's shape.
/// </summary>
public sealed partial class GcpSdkRefereeTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _journal = Path.Combine(CloudGroups.TempRoot(), "journal.jsonl");
    private static readonly JsonObject Where = new() { ["project"] = GcpCloudFake.Project, ["zone"] = GcpCloudFake.Zone };

    private static JsonObject With(JsonObject more)
    {
        var request = Where.DeepClone().AsObject();
        foreach (var (k, v) in more) request[k] = v?.DeepClone();
        return request;
    }

    private static async Task<JsonNode> Sdk(CloudReferee referee, GcpCloudFake fake, string client, string method, JsonObject request)
    {
        var answer = await referee.GcpAsync(client, method, request, fake.Endpoint, GcpCloudFake.Token);
        return answer["response"] ?? throw new Xunit.Sdk.XunitException($"the client library did not accept the fake's answer: {answer}");
    }

    /// <summary>Paths with the names that vary (templates, instances) made generic, for "every kind of call has a referee".</summary>
    private static string Kind(GcpCall c) => $"{c.Method} {Names().Replace(c.Path, "$1{name}")}";

    [Fact]
    public async Task Every_Compute_Engine_call_parses_the_same_when_the_client_library_makes_it_and_the_library_reads_the_fake_s_answers()
    {
        var referee = await CloudReferee.SharedAsync();
        using var pipelineFake = new GcpCloudFake(GcpCloudFake.Rollouts.Stabilise, targetSize: 3);
        var rollout = CloudGroups.GcpRollout(CloudGroups.Gcp(pipelineFake.Endpoint, count: 4), pipelineFake, _journal);
        await rollout.PlanAsync(CloudGroups.GarImage, Ct);
        (await rollout.DeployAsync(CloudGroups.GarImage, new(), Ct)).Succeeded.Should().BeTrue();
        (await rollout.MembersAsync(Ct)).Should().HaveCount(4);
        var pipeline = pipelineFake.Calls;
        pipeline.Should().OnlyContain(c => c.Accepted);
        var insert = JsonNode.Parse(pipeline.Single(c => c.Method == "POST" && c.Path == "/global/instanceTemplates").Body)!.AsObject();
        var patch = JsonNode.Parse(pipeline.Single(c => c.Method == "PATCH").Body)!.AsObject();

        using var fake = new GcpCloudFake(GcpCloudFake.Rollouts.Stabilise, targetSize: 3);
        var manager = await Sdk(
            referee,
            fake,
            "InstanceGroupManagersClient",
            "get",
            With(new() { ["instanceGroupManager"] = GcpCloudFake.Manager })
        );
        manager["versions"]![0]!["instanceTemplate"]!.GetValue<string>().Should().EndWith("/heartbeat-edge-000000000000");
        manager["targetSize"]!.GetValue<int>().Should().Be(3);
        manager["status"]!["isStable"]!.GetValue<bool>().Should().BeTrue();
        var template = await Sdk(
            referee,
            fake,
            "InstanceTemplatesClient",
            "get",
            new() { ["project"] = GcpCloudFake.Project, ["instanceTemplate"] = "heartbeat-edge-000000000000" }
        );
        template["name"]!.GetValue<string>().Should().Be("heartbeat-edge-000000000000");
        var inserted = await Sdk(
            referee,
            fake,
            "InstanceTemplatesClient",
            "insert",
            new() { ["project"] = GcpCloudFake.Project, ["instanceTemplateResource"] = insert }
        );
        inserted["status"]!.GetValue<string>().Should().Be("RUNNING");
        var done = await Sdk(
            referee,
            fake,
            "GlobalOperationsClient",
            "wait",
            new() { ["project"] = GcpCloudFake.Project, ["operation"] = inserted["name"]!.GetValue<string>() }
        );
        done["status"]!.GetValue<string>().Should().Be("DONE");
        var patched = await Sdk(
            referee,
            fake,
            "InstanceGroupManagersClient",
            "patch",
            With(new() { ["instanceGroupManager"] = GcpCloudFake.Manager, ["instanceGroupManagerResource"] = patch })
        );
        patched["zone"]!.GetValue<string>().Should().EndWith("/zones/europe-west1-b");
        (await Sdk(referee, fake, "ZoneOperationsClient", "wait", With(new() { ["operation"] = patched["name"]!.GetValue<string>() })))[
            "status"
        ]!
            .GetValue<string>()
            .Should()
            .Be("DONE");
        var listed = await Sdk(
            referee,
            fake,
            "InstanceGroupManagersClient",
            "listManagedInstances",
            With(new() { ["instanceGroupManager"] = GcpCloudFake.Manager })
        );
        listed.AsArray().Select(m => m!["instanceStatus"]!.GetValue<string>()).Should().Equal("RUNNING", "RUNNING", "RUNNING", "RUNNING");
        var instance = await Sdk(referee, fake, "InstancesClient", "get", With(new() { ["instance"] = "heartbeat-edge-0001" }));
        instance["networkInterfaces"]![0]!["networkIP"]!.GetValue<string>().Should().Be("10.132.0.11");

        fake.Calls.Should().OnlyContain(c => c.Accepted);
        foreach (var call in fake.Calls)
            pipeline
                .First(c => c.Method == call.Method && c.Path == call.Path)
                .Body.Should()
                .Be(call.Body, $"Pipeline's {call.Method} {call.Path} should parse like the client library's");
        pipeline.Select(Kind).Distinct().Should().BeSubsetOf(fake.Calls.Select(Kind), "every kind of call Pipeline makes has a referee");
    }

    [Theory]
    [InlineData(
        "InstanceTemplatesClient",
        "insert",
        """{"project":"pipeline-test","instanceTemplateResource":{"name":"bare","properties":{"machineType":"e2-small"}}}""",
        "boot disk"
    )]
    [InlineData(
        "InstanceTemplatesClient",
        "insert",
        """{"project":"pipeline-test","instanceTemplateResource":{"name":"Not_A_Name","properties":{"machineType":"e2-small"}}}""",
        "resource.name"
    )]
    [InlineData(
        "InstanceGroupManagersClient",
        "patch",
        """{"project":"pipeline-test","zone":"europe-west1-b","instanceGroupManager":"heartbeat-edge","instanceGroupManagerResource":{"updatePolicy":{"type":"SOMETIMES"}}}""",
        "updatePolicy.type"
    )]
    [InlineData(
        "InstanceGroupManagersClient",
        "patch",
        """{"project":"pipeline-test","zone":"europe-west1-b","instanceGroupManager":"heartbeat-edge","instanceGroupManagerResource":{"updatePolicy":{"type":"PROACTIVE","mostDisruptiveAllowedAction":"SOMETIMES"}}}""",
        "mostDisruptiveAllowedAction"
    )]
    [InlineData(
        "InstanceGroupManagersClient",
        "patch",
        """{"project":"pipeline-test","zone":"europe-west1-b","instanceGroupManager":"heartbeat-edge","instanceGroupManagerResource":{"versions":[{"instanceTemplate":"projects/pipeline-test/global/instanceTemplates/missing"}]}}""",
        "was not found"
    )]
    public async Task A_request_Compute_Engine_would_refuse_is_refused_in_the_error_shape_the_client_library_reads(
        string client,
        string method,
        string request,
        string message
    )
    {
        var referee = await CloudReferee.SharedAsync();
        using var fake = new GcpCloudFake(GcpCloudFake.Rollouts.Stabilise);

        var answer = await referee.GcpAsync(client, method, JsonNode.Parse(request)!.AsObject(), fake.Endpoint, GcpCloudFake.Token);

        answer["error"]
            ?["code"]?.GetValue<int>()
            .Should()
            .Be(3, $"INVALID_ARGUMENT, from HTTP 400 and Google's error shape: {answer.ToJsonString()}");
        answer["error"]!["message"]!.GetValue<string>().Should().Contain(message);
    }

    [Fact]
    public async Task A_request_with_another_token_is_refused_as_unauthenticated()
    {
        var referee = await CloudReferee.SharedAsync();
        using var fake = new GcpCloudFake(GcpCloudFake.Rollouts.Stabilise);

        var answer = await referee.GcpAsync(
            "InstanceGroupManagersClient",
            "get",
            With(new() { ["instanceGroupManager"] = GcpCloudFake.Manager }),
            fake.Endpoint,
            "another-token"
        );

        answer["error"]?["code"]?.GetValue<int>().Should().Be(16, answer.ToJsonString());
    }

    [GeneratedRegex("(/instanceTemplates/|/instances/|/operations/)[a-z0-9-]+")]
    private static partial Regex Names();
}
