using FluentAssertions;
using Pipeline.Deploying;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>The aws-asg rollout against the local fake of AWS Auto Scaling and EC2, whose signature check is
/// @smithy/signature-v4's.</summary>
public sealed class AwsAsgRolloutTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = CloudGroups.TempRoot();
    private string Journal => Path.Combine(_root, "journal.jsonl");

    private static IEnumerable<string> Actions(AwsCloudFake fake) => fake.Calls.Select(c => c.Action);

    [Fact]
    public async Task A_deploy_writes_a_launch_template_version_refreshes_to_it_with_the_rolling_policy_and_sets_desired_capacity_to_count()
    {
        using var fake = new AwsCloudFake(
            await CloudReferee.SharedAsync(),
            CloudGroups.Credentials,
            AwsCloudFake.Refreshes.Succeed,
            desiredCapacity: 3
        );

        var outcome = await CloudGroups.AwsRollout(CloudGroups.Aws(count: 4), fake, Journal).DeployAsync(CloudGroups.EcrImage, new(), Ct);

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        Actions(fake)
            .Should()
            .StartWith([
                "DescribeAutoScalingGroups",
                "DescribeLaunchTemplateVersions",
                "CreateLaunchTemplateVersion",
                "StartInstanceRefresh",
                "DescribeInstanceRefreshes",
            ])
            .And.EndWith("SetDesiredCapacity");
        var start = fake.Calls.Single(c => c.Action == "StartInstanceRefresh").Form;
        start
            .Should()
            .Contain("DesiredConfiguration.LaunchTemplate.Version", "2")
            .And.Contain("Preferences.AutoRollback", "true")
            .And.Contain("Preferences.AlarmSpecification.Alarms.member.1", "heartbeat-api-5xx")
            .And.Contain("Preferences.MinHealthyPercentage", "75")
            .And.Contain("Preferences.InstanceWarmup", "60")
            .And.Contain("Preferences.CheckpointPercentages.member.1", "50")
            .And.Contain("Preferences.CheckpointDelay", "300");
        fake.GroupVersion.Should().Be("2");
        fake.DesiredCapacity.Should().Be(4);
        var userData = fake.UserData(2).Split('\n');
        var login = Array.FindIndex(userData, l =>
            l.StartsWith(
                "aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin "
                + "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                StringComparison.Ordinal
            )
        );
        login.Should().BeGreaterThan(0, "the instance logs in to ECR with its role");
        Array
            .FindIndex(userData, l => l.StartsWith("docker pull ", StringComparison.Ordinal))
            .Should()
            .BeGreaterThan(login, "it logs in before it pulls");
        userData.Should().Contain(l => l.StartsWith("docker run ", StringComparison.Ordinal) && l.Contains("-e HEARTBEAT_PORT=8080"));
    }

    [Fact]
    public async Task Plan_lists_real_differences_only_so_it_shows_none_right_after_a_successful_deploy()
    {
        using var fake = new AwsCloudFake(
            await CloudReferee.SharedAsync(),
            CloudGroups.Credentials,
            AwsCloudFake.Refreshes.Succeed,
            desiredCapacity: 3
        );
        var rollout = CloudGroups.AwsRollout(CloudGroups.Aws(count: 4), fake, Journal);

        var before = await rollout.PlanAsync(CloudGroups.EcrImage, Ct);
        await rollout.DeployAsync(CloudGroups.EcrImage, new(), Ct);
        var after = await rollout.PlanAsync(CloudGroups.EcrImage, Ct);

        before
            .Lines()
            .Should()
            .HaveCount(2)
            .And.Contain(l => l.StartsWith("~ api (launch template heartbeat-api v1)", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("+ api ×1", StringComparison.Ordinal) && l.Contains("desired capacity 3 → 4"));
        after.HasChanges.Should().BeFalse(string.Join("\n", after.Lines()));
        after.Summary().Should().Contain("no changes");
    }

    [Fact]
    public async Task A_failing_refresh_of_a_group_on_a_numbered_version_is_rolled_back_by_AWS_through_AutoRollback()
    {
        using var fake = new AwsCloudFake(await CloudReferee.SharedAsync(), CloudGroups.Credentials, AwsCloudFake.Refreshes.Fail);

        var outcome = await CloudGroups.AwsRollout(CloudGroups.Aws(count: 3), fake, Journal).DeployAsync(CloudGroups.EcrImage, new(), Ct);

        outcome.Should().Match<Pipeline.Deploying.Rolling.DeployOutcome>(o => !o.Succeeded && o.RolledBack);
        outcome.Message.Should().Contain("rolled back to v1").And.Contain("i-0bad failed its ELB health check");
        Actions(fake).Should().NotContain(["RollbackInstanceRefresh", "CancelInstanceRefresh"]);
        fake.GroupVersion.Should().Be("1");
    }

    [Fact]
    public async Task A_refresh_that_ended_Failed_is_undone_by_a_new_refresh_to_the_previous_version_as_AWS_documents()
    {
        // $Latest: AWS can neither auto-roll back nor RollbackInstanceRefresh; the refresh ends Failed.
        using var fake = new AwsCloudFake(
            await CloudReferee.SharedAsync(),
            CloudGroups.Credentials,
            AwsCloudFake.Refreshes.Fail,
            groupVersion: "$Latest"
        );

        var outcome = await CloudGroups.AwsRollout(CloudGroups.Aws(count: 3), fake, Journal).DeployAsync(CloudGroups.EcrImage, new(), Ct);

        outcome.Should().Match<Pipeline.Deploying.Rolling.DeployOutcome>(o => !o.Succeeded && o.RolledBack);
        var starts = fake.Calls.Where(c => c.Action == "StartInstanceRefresh").Select(c => c.Form).ToList();
        starts.Should().HaveCount(2);
        starts[0].Should().Contain("Preferences.AutoRollback", "false").And.Contain("DesiredConfiguration.LaunchTemplate.Version", "2");
        starts[1].Should().Contain("DesiredConfiguration.LaunchTemplate.Version", "1");
        Actions(fake).Should().NotContain("RollbackInstanceRefresh", "a finished refresh cannot be rolled back");
        outcome.Message.Should().Contain("restored v1");
    }

    [Fact]
    public async Task A_refresh_still_in_progress_at_the_deadline_is_rolled_back_with_RollbackInstanceRefresh()
    {
        using var fake = new AwsCloudFake(await CloudReferee.SharedAsync(), CloudGroups.Credentials, AwsCloudFake.Refreshes.Hang);

        var outcome = await CloudGroups
            .AwsRollout(CloudGroups.Aws(count: 3), fake, Journal, timeout: TimeSpan.FromMilliseconds(200))
            .DeployAsync(CloudGroups.EcrImage, new(), Ct);

        outcome.Should().Match<Pipeline.Deploying.Rolling.DeployOutcome>(o => !o.Succeeded && o.RolledBack);
        Actions(fake).Should().Contain("RollbackInstanceRefresh").And.NotContain("CancelInstanceRefresh");
    }

    [Fact]
    public async Task A_refresh_still_in_progress_at_the_deadline_of_a_halting_group_is_cancelled()
    {
        using var fake = new AwsCloudFake(await CloudReferee.SharedAsync(), CloudGroups.Credentials, AwsCloudFake.Refreshes.Hang);

        var outcome = await CloudGroups
            .AwsRollout(CloudGroups.Aws(count: 3, onFailure: "halt"), fake, Journal, timeout: TimeSpan.FromMilliseconds(200))
            .DeployAsync(CloudGroups.EcrImage, new(), Ct);

        outcome.Should().Match<Pipeline.Deploying.Rolling.DeployOutcome>(o => !o.Succeeded && !o.RolledBack);
        outcome.Message.Should().Contain("Cancelled");
        Actions(fake).Should().Contain("CancelInstanceRefresh").And.NotContain("RollbackInstanceRefresh");
        fake.Calls.Single(c => c.Action == "StartInstanceRefresh").Form.Should().Contain("Preferences.AutoRollback", "false");
    }

    [Fact]
    public async Task Max_unavailable_from_the_command_line_raises_the_refresh_s_minimum_healthy_percentage()
    {
        var referee = await CloudReferee.SharedAsync();
        using var free = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Succeed, desiredCapacity: 4);
        using var capped = new AwsCloudFake(referee, CloudGroups.Credentials, AwsCloudFake.Refreshes.Succeed, desiredCapacity: 4);

        // 4 instances, batch 34% (2), min_healthy_percent 50: 2 may be replaced at once; --max-unavailable 1 allows one.
        await CloudGroups.AwsRollout(CloudGroups.Aws(count: 4, minHealthy: 50), free, Journal).DeployAsync(CloudGroups.EcrImage, new(), Ct);
        await CloudGroups
            .AwsRollout(CloudGroups.Aws(count: 4, minHealthy: 50), capped, Journal)
            .DeployAsync(CloudGroups.EcrImage, new(MaxUnavailable: 1), Ct);

        free.Calls.Single(c => c.Action == "StartInstanceRefresh").Form.Should().Contain("Preferences.MinHealthyPercentage", "50");
        capped.Calls.Single(c => c.Action == "StartInstanceRefresh").Form.Should().Contain("Preferences.MinHealthyPercentage", "75");
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_secret_is_refused_by_the_fake_whose_verifier_is_the_official_signer()
    {
        using var fake = new AwsCloudFake(await CloudReferee.SharedAsync(), CloudGroups.Credentials, AwsCloudFake.Refreshes.Succeed);
        var rollout = CloudGroups.AwsRollout(CloudGroups.Aws(), fake, Journal, CloudGroups.Credentials with { SecretAccessKey = "wrong" });

        var deploy = () => rollout.DeployAsync(CloudGroups.EcrImage, new(), Ct);

        await deploy
            .Should()
            .ThrowAsync<PipelineException>()
            .WithMessage("AWS autoscaling DescribeAutoScalingGroups: SignatureDoesNotMatch*");
    }

    [Fact]
    public async Task The_outputs_of_an_aws_group_list_the_instances_the_fake_cloud_reports_with_audit_record_and_timeline()
    {
        using var fake = new AwsCloudFake(
            await CloudReferee.SharedAsync(),
            CloudGroups.Credentials,
            AwsCloudFake.Refreshes.Succeed,
            desiredCapacity: 3
        );
        var group = CloudGroups.Aws(count: 3);
        var rollout = CloudGroups.AwsRollout(group, fake, Journal);

        var outcome = await rollout.DeployAsync(CloudGroups.EcrImage, new(), Ct);
        await new DeployOutputs(DeployLayouts.In(_root)).WriteAsync(group, outcome, rollout, Ct);

        var fileSd = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "artifacts", "deploy", "api.file_sd.json")))!;
        fileSd[0]!["targets"]!
            .AsArray()
            .Select(t => t!.GetValue<string>())
            .Should()
            .Equal("10.0.1.10:8080", "10.0.1.11:8080", "10.0.1.12:8080");
        var audit = JsonNode.Parse(
            File.ReadAllText(Path.Combine(_root, "artifacts", "deploy", $"test-aws-api-{outcome.DeployId}.audit.json"))
        )!;
        audit["result"]!.GetValue<string>().Should().Be("succeeded");
        audit["changes"]!.AsArray().Should().ContainSingle(c => c!["kind"]!.GetValue<string>() == "replace");
        File.ReadAllText(Path.Combine(_root, "artifacts", "deploy", $"test-aws-api-{outcome.DeployId}.timeline.html"))
            .Should()
            .Contain("<rect");
    }
}
