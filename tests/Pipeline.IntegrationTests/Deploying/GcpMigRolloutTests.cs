using FluentAssertions;
using Pipeline.Deploying.Cloud;
using Pipeline.Deploying.Definitions;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>The gcp-mig provider against a local fake of the Compute Engine API.</summary>
public sealed class GcpMigRolloutTests
{
    private const string Old = "projects/pipeline-test/global/instanceTemplates/heartbeat-edge-000000000000";
    private const string Image = "europe-docker.pkg.dev/pipeline-test/heartbeat@sha256:cd34";

    private static GroupDefinition Group(string endpoint) => EnvironmentDeployment.Parse($$"""
        lock: { s3_bucket: b, s3_key: k }
        groups:
          edge:
            provider: gcp-mig
            gcp: { project: pipeline-test, zone: europe-west1-b, instance_group_manager: heartbeat-edge, endpoint: "{{endpoint}}" }
            image: heartbeat
            count: 3
            ports: { container: 8080 }
            rolling: { max_surge: 1, min_healthy_percent: 66, warmup: 30s, on_failure: rollback }
        """, "environments/test-gcp.yml", "test-gcp", _ => null).Groups.Single();

    [Fact]
    public async Task A_managed_instance_group_is_patched_with_the_rolling_policy_against_a_local_fake_of_the_Compute_Engine_API()
    {
        using var fake = new GcpComputeFake(Old, newTemplatesNeverStable: false);
        var rollout = new GcpMigRollout(Group(fake.Endpoint), new HttpClient(), "test-token") { PollInterval = TimeSpan.FromMilliseconds(10) };

        var result = await rollout.RunAsync(Image, CancellationToken.None);

        result.Succeeded.Should().BeTrue(result.Message);
        fake.Template.Should().StartWith("projects/pipeline-test/global/instanceTemplates/heartbeat-edge-").And.NotBe(Old);
        var patch = fake.Calls.Single(c => c.Method == "PATCH").Body!["updatePolicy"]!;
        patch["type"]!.GetValue<string>().Should().Be("PROACTIVE");
        patch["maxSurge"]!["fixed"]!.GetValue<int>().Should().Be(1);
        patch["maxUnavailable"]!["fixed"]!.GetValue<int>().Should().Be(0);
        patch["minReadySec"]!.GetValue<int>().Should().Be(30);
        patch["replacementMethod"]!.GetValue<string>().Should().Be("SUBSTITUTE");
        fake.Calls.Single(c => c.Method == "POST").Body!["properties"]!["metadata"]!["items"]![0]!["value"]!.GetValue<string>().Should().Contain($"docker pull {Image}");
    }

    [Fact]
    public async Task A_rollout_that_never_becomes_stable_patches_the_previous_template_back_against_a_local_fake_of_the_Compute_Engine_API()
    {
        using var fake = new GcpComputeFake(Old, newTemplatesNeverStable: true);
        var rollout = new GcpMigRollout(Group(fake.Endpoint), new HttpClient(), "test-token") { PollInterval = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromMilliseconds(300) };

        var result = await rollout.RunAsync(Image, CancellationToken.None);

        result.Should().Match<CloudRolloutResult>(r => !r.Succeeded && r.RolledBack);
        result.Message.Should().Contain("rolled back to heartbeat-edge-000000000000");
        fake.Template.Should().Be(Old);
        fake.Calls.Count(c => c.Method == "PATCH").Should().Be(2);
    }
}
