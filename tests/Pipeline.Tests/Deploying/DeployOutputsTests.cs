using FluentAssertions;
using Pipeline.Deploying;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Rolling;
using System.Text.Json.Nodes;
using Xunit;
using static Pipeline.Tests.Deploying.GroupPlanTests;

namespace Pipeline.Tests.Deploying;

/// <summary>The outputs of a rolling group's deploy through its rollout strategy, on the in-memory group.</summary>
public class DeployOutputsTests
{
    [Fact]
    public async Task A_rolling_group_s_deploy_leaves_its_audit_record_timeline_file_sd_and_host_audit_line()
    {
        var root = Directory.CreateTempSubdirectory("deploy-outputs-").FullName;
        var group = Group(3) with { Outputs = new OutputsDefinition("artifacts/deploy/web.file_sd.json", "host/audit.log") };
        var memory = new InMemoryGroup();
        memory.Seed(group, V1, group.Count);
        var hostLines = new List<string>();
        var rollout = new RollingRollout(group, memory, memory, new DeployJournal(Path.Combine(root, "journal.jsonl")),
            (line, _) => { hostLines.Add(line); return Task.CompletedTask; }, memory);

        (await rollout.PlanAsync(V2, CancellationToken.None)).HasChanges.Should().BeTrue();
        var outcome = await rollout.DeployAsync(V2, new RolloutOptions(), CancellationToken.None);
        var layout = DeployLayout.Of(
            new(root),
            new global::Pipeline.Engine.AbsolutePath(root) / "artifacts",
            new global::Pipeline.Engine.AbsolutePath(root) / ".nuke" / "temp"
        );
        await new DeployOutputs(layout).WriteAsync(group, outcome, rollout, CancellationToken.None);

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        (await rollout.PlanAsync(V2, CancellationToken.None)).HasChanges.Should().BeFalse();
        var fileSd = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "artifacts", "deploy", "web.file_sd.json")))!;
        // the addresses the in-memory provider lists
        fileSd[0]!["targets"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("mem:1", "mem:2", "mem:3");
        File.Exists(Path.Combine(root, "artifacts", "deploy", $"local-web-{outcome.DeployId}.audit.json")).Should().BeTrue();
        File.ReadAllText(Path.Combine(root, "artifacts", "deploy", $"local-web-{outcome.DeployId}.timeline.html"))
            .Should()
            .Contain("<rect");
        hostLines.Should().ContainSingle().Which.Should().Contain(outcome.DeployId);
    }
}
