using FluentAssertions;
using Pipeline.Deploying.Cloud;
using Pipeline.Deploying.Definitions;
using Pipeline.Engine;
using Pipeline.Tools.Aws;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>The aws-asg provider against a local fake of the AWS Auto Scaling/EC2 Query APIs.</summary>
public sealed class AwsAsgRolloutTests
{
    private static readonly AwsCredentials Test = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private const string Image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/heartbeat@sha256:cd34";

    private static GroupDefinition Group() => EnvironmentDeployment.Parse("""
        groups:
          api:
            provider: aws-asg
            aws: { region: eu-west-1, auto_scaling_group: heartbeat-api, launch_template: heartbeat-api, checkpoints: [50] }
            image: heartbeat
            count: 6
            ports: { container: 8080 }
            rolling: { batch: 34%, min_healthy_percent: 66, warmup: 60s, bake: 5m, on_failure: rollback }
        """, "environments/test-aws.yml", "test-aws", _ => null).Groups.Single();

    private static AwsAsgRollout Rollout(AwsAutoScalingFake fake, AwsCredentials credentials)
    {
        var http = new HttpClient();
        return new AwsAsgRollout(Group(),
            new AwsQueryClient(http, fake.Endpoint, "eu-west-1", "ec2", "2016-11-15", credentials),
            new AwsQueryClient(http, fake.Endpoint, "eu-west-1", "autoscaling", "2011-01-01", credentials)) { PollInterval = TimeSpan.FromMilliseconds(10) };
    }

    [Fact]
    public async Task An_instance_refresh_runs_with_the_rolling_policy_against_a_local_fake_of_the_AWS_Auto_Scaling_API()
    {
        using var fake = new AwsAutoScalingFake(Test, refreshFails: false);

        var result = await Rollout(fake, Test).RunAsync(Image, CancellationToken.None);

        result.Succeeded.Should().BeTrue(result.Message);
        fake.Calls.Select(c => c["Action"]).Should().Equal("CreateLaunchTemplateVersion", "StartInstanceRefresh", "DescribeInstanceRefreshes", "DescribeInstanceRefreshes");
        var start = fake.Calls[1];
        start.Should().Contain("Preferences.MinHealthyPercentage", "66").And.Contain("Preferences.InstanceWarmup", "60")
            .And.Contain("Preferences.CheckpointPercentages.member.1", "50").And.Contain("Preferences.AutoRollback", "true")
            .And.Contain("Preferences.SkipMatching", "true").And.Contain("DesiredConfiguration.LaunchTemplate.Version", "7");
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(fake.Calls[0]["LaunchTemplateData.UserData"])).Should().Contain($"docker pull {Image}");
    }

    [Fact]
    public async Task A_failed_refresh_is_rolled_back_against_a_local_fake_of_the_AWS_Auto_Scaling_API()
    {
        using var fake = new AwsAutoScalingFake(Test, refreshFails: true);

        var result = await Rollout(fake, Test).RunAsync(Image, CancellationToken.None);

        result.Should().Match<CloudRolloutResult>(r => !r.Succeeded && r.RolledBack);
        result.Message.Should().Contain("failed and was rolled back: Instance i-0bad failed its ELB health check.");
        fake.Calls.Select(c => c["Action"]).Should().Contain("RollbackInstanceRefresh");
    }

    [Fact]
    public async Task A_wrongly_signed_request_is_refused_by_the_local_fake_of_the_AWS_API()
    {
        using var fake = new AwsAutoScalingFake(Test, refreshFails: false);
        var run = () => Rollout(fake, Test with { SecretAccessKey = "wrong" }).RunAsync(Image, CancellationToken.None);
        await run.Should().ThrowAsync<PipelineException>().WithMessage("AWS ec2 CreateLaunchTemplateVersion: SignatureDoesNotMatch*");
    }
}
