using FluentAssertions;
using Pipeline.Deploying;
using Pipeline.Deploying.Cloud;
using Pipeline.Deploying.Rolling;
using Pipeline.IntegrationTests.Packaging;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>The gcp-mig rollout against the local fake of the Compute Engine API.</summary>
public sealed class GcpMigRolloutTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = CloudGroups.TempRoot();
    private string Journal => Path.Combine(_root, "journal.jsonl");

    private static JsonObject CreatedTemplate(GcpCloudFake fake) =>
        fake.Templates.Single(t => t.Key != "heartbeat-edge-000000000000").Value;

    [Fact]
    public async Task A_rollout_inserts_a_complete_template_patches_the_group_and_waits_on_every_operation()
    {
        using var fake = new GcpCloudFake(GcpCloudFake.Rollouts.Stabilise, targetSize: 3);

        var outcome = await CloudGroups
            .GcpRollout(CloudGroups.Gcp(fake.Endpoint, count: 4), fake, Journal)
            .DeployAsync(CloudGroups.GarImage, new(), Ct);

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        var calls = fake.Calls.Select(c => $"{c.Method} {c.Path}").ToList();
        var insert = calls.IndexOf("POST /global/instanceTemplates");
        calls[insert + 1]
            .Should()
            .Be("POST /global/operations/operation-1-insert/wait", "the template is waited for before the group uses it");
        var patch = calls.IndexOf("PATCH /zones/europe-west1-b/instanceGroupManagers/heartbeat-edge");
        patch.Should().BeGreaterThan(insert + 1);
        calls[patch + 1].Should().Be("POST /zones/europe-west1-b/operations/operation-2-patch/wait");
        fake.TargetSize.Should().Be(4, "count sets the target size");
        fake.TemplateName.Should().Be(CreatedTemplate(fake)["name"]!.GetValue<string>());

        var properties = CreatedTemplate(fake)["properties"]!;
        properties["disks"]![0]!["initializeParams"]!["sourceImage"]!
            .GetValue<string>()
            .Should()
            .Be("projects/cos-cloud/global/images/family/cos-stable");
        properties["networkInterfaces"]![0]!["subnetwork"]!
            .GetValue<string>()
            .Should()
            .Be("projects/pipeline-test/regions/europe-west1/subnetworks/edge");
        properties["serviceAccounts"]![0]!["email"]!.GetValue<string>().Should().Be("heartbeat@pipeline-test.iam.gserviceaccount.com");
        properties["serviceAccounts"]![0]!["scopes"]![0]!.GetValue<string>().Should().Be("https://www.googleapis.com/auth/cloud-platform");
        properties["labels"]!["team"]!.GetValue<string>().Should().Be("edge");
        var script = MetadataItem(properties, "startup-script")!;
        script.Should().Contain("-e HEARTBEAT_PORT=8080").And.Contain("-e HEARTBEAT_NAME=edge", "the container gets its env")
            .And.Contain("docker-credential-gcr configure-docker --registries=europe-docker.pkg.dev")
            .And.Contain("--env-file /run/pipeline-test-gcp-edge.env").And.NotContain(CloudGroups.Secret);
        MetadataItem(properties, "pipeline-secret-env").Should().Be($"HEARTBEAT_TOKEN={CloudGroups.Secret}\n");
        var policy = fake.Calls.Single(c => c.Method == "PATCH").Body;
        policy
            .Should()
            .Contain("\"maxSurge\":{\"fixed\":\"1\"}")
            .And.Contain("\"maxUnavailable\":{\"fixed\":\"0\"}")
            .And.NotContain("minReadySec", "Compute Engine v1 has none")
            .And.Contain("\"replacementMethod\":\"SUBSTITUTE\"")
            .And.Contain("\"type\":\"PROACTIVE\"");
    }

    [Fact]
    public async Task A_failed_operation_fails_the_deploy_with_the_operation_s_error()
    {
        using var fake = new GcpCloudFake(GcpCloudFake.Rollouts.PatchOperationFails);

        var outcome = await CloudGroups
            .GcpRollout(CloudGroups.Gcp(fake.Endpoint), fake, Journal)
            .DeployAsync(CloudGroups.GarImage, new(), Ct);

        outcome.Succeeded.Should().BeFalse();
        outcome
            .Message.Should()
            .Contain("patch heartbeat-edge failed (operation-2-patch): RESOURCE_NOT_READY: The resource 'heartbeat-edge' is not ready");
        fake.TemplateName.Should().Be("heartbeat-edge-000000000000");
    }

    [Fact]
    public async Task A_rollout_that_never_becomes_stable_patches_the_previous_template_back()
    {
        using var fake = new GcpCloudFake(GcpCloudFake.Rollouts.NeverStable);

        var outcome = await CloudGroups
            .GcpRollout(CloudGroups.Gcp(fake.Endpoint), fake, Journal, TimeSpan.FromMilliseconds(300))
            .DeployAsync(CloudGroups.GarImage, new(), Ct);

        outcome.Should().Match<DeployOutcome>(o => !o.Succeeded && o.RolledBack);
        outcome.Message.Should().Contain("rolled back to heartbeat-edge-000000000000");
        fake.TemplateName.Should().Be("heartbeat-edge-000000000000");
        fake.Calls.Count(c => c.Method == "PATCH").Should().Be(2);
        fake.Calls.Count(c => c.Path.StartsWith("/zones/europe-west1-b/operations/", StringComparison.Ordinal))
            .Should()
            .Be(2, "the rollback's patch is waited on too");
    }

    [Fact]
    public async Task Plan_lists_real_differences_only_so_it_shows_none_right_after_a_successful_deploy()
    {
        using var fake = new GcpCloudFake(GcpCloudFake.Rollouts.Stabilise, targetSize: 3);
        var rollout = CloudGroups.GcpRollout(CloudGroups.Gcp(fake.Endpoint, count: 3), fake, Journal);

        var before = await rollout.PlanAsync(CloudGroups.GarImage, Ct);
        await rollout.DeployAsync(CloudGroups.GarImage, new(), Ct);
        var after = await rollout.PlanAsync(CloudGroups.GarImage, Ct);
        var again = await rollout.DeployAsync(CloudGroups.GarImage, new(), Ct);

        before
            .Lines()
            .Should()
            .ContainSingle()
            .Which.Should()
            .StartWith("~ edge (instance template heartbeat-edge-000000000000 → heartbeat-edge-");
        after.HasChanges.Should().BeFalse(string.Join("\n", after.Lines()));
        again.Succeeded.Should().BeTrue();
        fake.Calls.Count(c => c.Method is "POST" or "PATCH" && !c.Path.EndsWith("/wait", StringComparison.Ordinal))
            .Should()
            .Be(2, "the second deploy changes nothing");
    }

    [Fact]
    public async Task The_outputs_of_a_gcp_group_list_the_instances_the_fake_cloud_reports_and_its_secret_env_is_in_no_log_or_artifact()
    {
        using var fake = new GcpCloudFake(GcpCloudFake.Rollouts.Stabilise, targetSize: 3);
        var group = CloudGroups.Gcp(fake.Endpoint, count: 3);
        var rollout = CloudGroups.GcpRollout(group, fake, Journal);
        var log = new CapturedLog();

        var outcome = await log.RunAsync(async () =>
        {
            await rollout.PlanAsync(CloudGroups.GarImage, Ct);
            var o = await rollout.DeployAsync(CloudGroups.GarImage, new(), Ct);
            await new DeployOutputs(DeployLayouts.In(_root)).WriteAsync(group, o, rollout, Ct);
            return o;
        });

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        var fileSd = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "artifacts", "deploy", "edge.file_sd.json")))!;
        fileSd[0]!["targets"]!
            .AsArray()
            .Select(t => t!.GetValue<string>())
            .Should()
            .Equal("10.132.0.11:8080", "10.132.0.12:8080", "10.132.0.13:8080");
        log.Lines.Should().NotBeEmpty().And.NotContain(l => l.Contains(CloudGroups.Secret));
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
            File.ReadAllText(file).Should().NotContain(CloudGroups.Secret, file);
    }

    /// <summary>An item of the template's metadata, read as Compute Engine documents it (metadata.items: key, value), not by Pipeline's
    /// reader.</summary>
    private static string? MetadataItem(JsonNode properties, string key) =>
        properties["metadata"]?["items"]?.AsArray().FirstOrDefault(i => i?["key"]?.GetValue<string>() == key)?["value"]?.GetValue<string>();
}
