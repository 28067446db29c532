using FluentAssertions;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>
/// The official AWS SDK for JavaScript as the referee of Pipeline's AWS calls: the same call made by
/// @aws-sdk/client-auto-scaling or @aws-sdk/client-ec2 against the same local fake parses to the same request, the SDK
/// reads the fake's answers, and a request the API would refuse is refused in the error format the SDK reads.
/// </summary>
public sealed class AwsSdkRefereeTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _journal = Path.Combine(CloudGroups.TempRoot(), "journal.jsonl");

    private static async Task<JsonObject> Sdk(
        CloudReferee referee,
        AwsCloudFake fake,
        string service,
        string command,
        JsonObject input,
        string? secret = null
    )
    {
        var answer = await referee.AwsAsync(
            service,
            command,
            input,
            fake.Endpoint,
            CloudGroups.Credentials.AccessKeyId,
            secret ?? CloudGroups.Credentials.SecretAccessKey
        );
        return answer;
    }

    private static JsonObject Output(JsonObject answer) =>
        answer["output"] as JsonObject ?? throw new Xunit.Sdk.XunitException($"the SDK did not accept the fake's answer: {answer}");

    /// <summary>Pipeline's calls over a deploy with a new capacity, its member listing, and refreshes rolled back and cancelled at the
    /// deadline.</summary>
    private async Task<List<AwsCall>> PipelineCallsAsync(CloudReferee referee)
    {
        using var succeed = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Succeed, desiredCapacity: 3);
        var rollout = CloudGroups.AwsRollout(CloudGroups.Aws(count: 4), succeed, _journal);
        (await rollout.DeployAsync(CloudGroups.EcrImage, new(), Ct)).Succeeded.Should().BeTrue();
        (await rollout.MembersAsync(Ct)).Should().HaveCount(4);
        using var hang = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Hang);
        await CloudGroups
            .AwsRollout(CloudGroups.Aws(count: 3), hang, _journal, timeout: TimeSpan.FromMilliseconds(100))
            .DeployAsync(CloudGroups.EcrImage, new(), Ct);
        using var halt = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Hang);
        await CloudGroups
            .AwsRollout(CloudGroups.Aws(count: 3, onFailure: "halt"), halt, _journal, timeout: TimeSpan.FromMilliseconds(100))
            .DeployAsync(CloudGroups.EcrImage, new(), Ct);
        return [.. succeed.Calls, .. hang.Calls, .. halt.Calls];
    }

    [Fact]
    public async Task Every_AWS_call_Pipeline_makes_parses_the_same_when_the_official_SDK_makes_it_and_the_SDK_reads_the_fake_s_answers()
    {
        var referee = await CloudReferee.SharedAsync();
        var pipeline = await PipelineCallsAsync(referee);
        pipeline
            .Should()
            .OnlyContain(c => c.Accepted, "the fake (with @smithy/signature-v4 as its verifier) accepts all of Pipeline's calls");
        var first = pipeline.GroupBy(c => (c.Service, c.Action)).ToDictionary(g => g.Key, g => Tokenless(g.First().Form));

        using var fake = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Hang, desiredCapacity: 3);
        var groups = Output(
            await Sdk(
                referee,
                fake,
                "autoscaling",
                "DescribeAutoScalingGroups",
                new() { ["AutoScalingGroupNames"] = new JsonArray("heartbeat-api") }
            )
        );
        groups["AutoScalingGroups"]![0]!["LaunchTemplate"]!["Version"]!.GetValue<string>().Should().Be("1");
        groups["AutoScalingGroups"]![0]!["DesiredCapacity"]!.GetValue<int>().Should().Be(3);
        groups["AutoScalingGroups"]![0]!["Instances"]!.AsArray().Should().HaveCount(3);

        var versions = Output(
            await Sdk(
                referee,
                fake,
                "ec2",
                "DescribeLaunchTemplateVersions",
                new() { ["LaunchTemplateName"] = "heartbeat-api", ["Versions"] = new JsonArray("1") }
            )
        );
        versions["LaunchTemplateVersions"]![0]!["VersionNumber"]!.GetValue<int>().Should().Be(1);
        versions["LaunchTemplateVersions"]![0]!["LaunchTemplateData"]!["UserData"]!.GetValue<string>().Should().NotBeEmpty();

        var created = first[("ec2", "CreateLaunchTemplateVersion")];
        var version = Output(await Sdk(referee, fake, "ec2", "CreateLaunchTemplateVersion", new()
        {
            ["LaunchTemplateName"] = "heartbeat-api",
            ["SourceVersion"] = "1",
            ["VersionDescription"] = created["VersionDescription"],
            ["LaunchTemplateData"] = new JsonObject { ["UserData"] = created["LaunchTemplateData.UserData"] },
        }));
        version["LaunchTemplateVersion"]!["VersionNumber"]!.GetValue<int>().Should().Be(2);

        var refresh = new JsonObject
        {
            ["AutoScalingGroupName"] = "heartbeat-api",
            ["Strategy"] = "Rolling",
            ["DesiredConfiguration"] = new JsonObject
            {
                ["LaunchTemplate"] = new JsonObject { ["LaunchTemplateName"] = "heartbeat-api", ["Version"] = "2" },
            },
            ["Preferences"] = new JsonObject
            {
                ["MinHealthyPercentage"] = 75,
                ["InstanceWarmup"] = 60,
                ["SkipMatching"] = true,
                ["AutoRollback"] = true,
                ["CheckpointPercentages"] = new JsonArray(50),
                ["CheckpointDelay"] = 300,
                ["AlarmSpecification"] = new JsonObject { ["Alarms"] = new JsonArray("heartbeat-api-5xx") },
            },
        };
        var started = Output(await Sdk(referee, fake, "autoscaling", "StartInstanceRefresh", refresh));
        var id = started["InstanceRefreshId"]!.GetValue<string>();
        var described = Output(
            await Sdk(
                referee,
                fake,
                "autoscaling",
                "DescribeInstanceRefreshes",
                new() { ["AutoScalingGroupName"] = "heartbeat-api", ["InstanceRefreshIds"] = new JsonArray(id) }
            )
        );
        described["InstanceRefreshes"]![0]!["Status"]!.GetValue<string>().Should().Be("InProgress");
        described["InstanceRefreshes"]![0]!["PercentageComplete"]!.GetValue<int>().Should().Be(33);
        Output(await Sdk(referee, fake, "autoscaling", "RollbackInstanceRefresh", new() { ["AutoScalingGroupName"] = "heartbeat-api" }))[
            "InstanceRefreshId"
        ]!
            .GetValue<string>()
            .Should()
            .Be(id);
        Output(
            await Sdk(
                referee,
                fake,
                "autoscaling",
                "SetDesiredCapacity",
                new()
                {
                    ["AutoScalingGroupName"] = "heartbeat-api",
                    ["DesiredCapacity"] = 4,
                    ["HonorCooldown"] = false,
                }
            )
        );
        var reservations = Output(
            await Sdk(
                referee,
                fake,
                "ec2",
                "DescribeInstances",
                new() { ["InstanceIds"] = new JsonArray(fake.InstanceIds.Select(i => (JsonNode)i).ToArray()) }
            )
        );
        reservations["Reservations"]![0]!["Instances"]!
            .AsArray()
            .Select(i => i!["PrivateIpAddress"]!.GetValue<string>())
            .Should()
            .Equal("10.0.1.10", "10.0.1.11", "10.0.1.12", "10.0.1.13");

        using var second = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Hang);
        refresh["Preferences"]!["AutoRollback"] = false;
        refresh["Preferences"]!["MinHealthyPercentage"] = 67;
        await Sdk(referee, second, "autoscaling", "StartInstanceRefresh", refresh);
        Output(await Sdk(referee, second, "autoscaling", "CancelInstanceRefresh", new() { ["AutoScalingGroupName"] = "heartbeat-api" }));

        var sdk = fake.Calls.Concat(second.Calls).ToList();
        sdk.Should().OnlyContain(c => c.Accepted, "the fake accepts the SDK's own signature and shapes");
        foreach (
            var call in sdk.Where(c =>
                    c.Action != "StartInstanceRefresh" || c.Form.ContainsKey("Preferences.AlarmSpecification.Alarms.member.1")
                )
                .DistinctBy(c => (c.Service, c.Action))
        )
            first[(call.Service, call.Action)]
                .Should()
                .Equal(Tokenless(call.Form), $"Pipeline's {call.Service} {call.Action} should parse like the SDK's");
        first.Keys.Should().BeSubsetOf(sdk.Select(c => (c.Service, c.Action)), "every call Pipeline makes has a referee");
    }

    /// <summary>An idempotency token is compared by presence: each caller makes its own.</summary>
    private static SortedDictionary<string, string> Tokenless(SortedDictionary<string, string> form) =>
        new(form.ToDictionary(p => p.Key, p => p.Key == "ClientToken" ? "(a fresh token)" : p.Value), StringComparer.Ordinal);

    [Theory]
    [InlineData("autoscaling", "StartInstanceRefresh", """{"Strategy":"Rolling"}""", "ValidationError")]
    [InlineData(
        "autoscaling",
        "StartInstanceRefresh",
        """{"AutoScalingGroupName":"heartbeat-api","Strategy":"Sideways"}""",
        "ValidationError"
    )]
    [InlineData("autoscaling", "SetDesiredCapacity", """{"AutoScalingGroupName":"heartbeat-api"}""", "ValidationError")]
    // the SDK names the modelled fault
    [InlineData(
        "autoscaling", "RollbackInstanceRefresh", """{"AutoScalingGroupName":"heartbeat-api"}""", "ActiveInstanceRefreshNotFoundFault")]
    [InlineData("ec2", "CreateLaunchTemplateVersion", """{"LaunchTemplateName":"heartbeat-api","SourceVersion":"1"}""", "MissingParameter")]
    public async Task A_request_the_API_would_refuse_is_refused_in_the_error_format_the_official_SDK_reads(
        string service,
        string command,
        string input,
        string code
    )
    {
        var referee = await CloudReferee.SharedAsync();
        using var fake = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Succeed);

        var answer = await Sdk(referee, fake, service, command, JsonNode.Parse(input)!.AsObject());

        answer["error"]?["name"]?.GetValue<string>().Should().Be(code, answer.ToJsonString());
        answer["error"]!["status"]!.GetValue<int>().Should().Be(400);
    }

    [Theory]
    [InlineData("autoscaling", "DescribeAutoScalingGroups", "SignatureDoesNotMatch")]
    [InlineData("ec2", "DescribeInstances", "AuthFailure")]
    public async Task The_official_SDK_s_signature_passes_the_fake_s_verifier_and_a_wrong_secret_does_not(
        string service,
        string command,
        string code
    )
    {
        var referee = await CloudReferee.SharedAsync();
        using var fake = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Succeed);

        Output(await Sdk(referee, fake, service, command, new()));
        var refused = await Sdk(referee, fake, service, command, new(), secret: "wrong");

        refused["error"]?["name"]?.GetValue<string>().Should().Be(code, refused.ToJsonString());
    }
}
