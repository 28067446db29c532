using FluentAssertions;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Xunit;
using static Pipeline.Tests.Deploying.GroupPlanTests;

namespace Pipeline.Tests.Deploying;

public class SurgeRolloutTests
{
    private static GroupDefinition Surging(int count, int surge = 2) =>
        Group(count) with { Rolling = Group().Rolling with { MaxSurge = surge, Batch = new BatchSize(2, false), MinHealthyPercent = 100 } };

    private static (RollingEngine Engine, InMemoryGroup Memory) Make(GroupDefinition group, string seedImage, string? journalPath = null)
    {
        var memory = new InMemoryGroup();
        memory.Seed(group, seedImage, group.Count);
        var journal = new DeployJournal(journalPath ?? Path.Combine(Path.GetTempPath(), $"deploy-journal-{Guid.NewGuid():N}.jsonl"));
        return (new RollingEngine(group, memory, memory, memory, journal), memory);
    }

    [Fact]
    public void The_plan_shows_new_instances_beside_the_old_ones_as_plus_and_minus_lines()
    {
        var group = Surging(4);
        var plan = GroupPlan.Make(group, V2, Running(group, V1, 4));
        const string v1 = "heartbeat@sha256:ab12ab12ab12…", v2 = "heartbeat@sha256:cd34cd34cd34…";
        plan.Lines().Should().Equal(
            $"+ web-5  {v2}  (surge, replaces web-1)", $"+ web-6  {v2}  (surge, replaces web-2)", $"- web-1  {v1}", $"- web-2  {v1}",
            $"+ web-1  {v2}  (surge, replaces web-3)", $"+ web-2  {v2}  (surge, replaces web-4)", $"- web-3  {v1}", $"- web-4  {v1}");
        plan.Summary().Should().Be("local/web: 4 to add, 0 to replace, 4 to remove.");
    }

    [Fact]
    public void After_a_surge_rollout_the_plan_is_empty_though_the_names_moved()
    {
        var group = Surging(4);
        var after = Running(group with { Count = 6 }, V2, 6).Where(o => o.Slot is not (3 or 4)).ToList();
        GroupPlan.Make(group, V2, after).HasChanges.Should().BeFalse();
    }

    [Fact]
    public void Surge_on_two_ssh_hosts_keeps_each_replacement_on_its_old_instances_host()
    {
        var group = Surging(4, surge: 1) with { Ssh = new SshHostsDefinition(["10.0.0.1", "10.0.0.2"], "deploy", 22, "known_hosts", null) };
        var plan = SurgePlan.Make(group, V2, Running(group, V1, 4), batch: 1);
        plan.Batches.Should()
            .AllSatisfy(b => group.HostIndex(b.Starts.Single().Slot).Should().Be(group.HostIndex(b.Retires.Single().Slot)));
    }

    [Fact]
    public void The_port_range_must_hold_the_surge_instances_too()
    {
        var act = () =>
            Pipeline.Deploying.Definitions.EnvironmentDeployment.Parse(
                "groups:\n  web:\n    provider: docker\n    image: heartbeat\n    count: 4\n    ports: { container: 8080, host_base: "
                + "65531 }\n    rolling: { max_surge: 2 }\n",
                "environments/staging.yml",
                "staging",
                _ => null
            );
        act.Should().Throw<Pipeline.Definitions.DefinitionException>()
            .WithMessage("*groups/web/ports/host_base: the group needs 6 host ports from here (count + max_surge per host)*");
    }

    [Fact]
    public async Task Surge_starts_new_instances_before_removing_old_ones_and_never_serves_fewer_than_count()
    {
        var group = Surging(4);
        var (engine, memory) = Make(group, V1);

        var outcome = await engine.RunAsync(V2, new RolloutOptions(), CancellationToken.None);

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        memory.Instances.Should().HaveCount(4).And.OnlyContain(i => i.Image == V2);
        memory.Instances.Select(i => i.Slot).Should().Equal(1, 2, 5, 6);
        memory.MinServing.Should().Be(4);
        memory.Events.IndexOf("ready web-6").Should().BeLessThan(memory.Events.IndexOf("remove web-1"));
        memory.States.Values.Should().AllBe("ready");
    }

    [Fact]
    public async Task A_failed_surge_batch_removes_the_new_instances_and_leaves_the_old_ones_serving()
    {
        var group = Surging(4);
        var (engine, memory) = Make(group, V1);
        memory.UnhealthyImages.Add(V2);

        var outcome = await engine.RunAsync(V2, new RolloutOptions(), CancellationToken.None);

        outcome.Should().Match<DeployOutcome>(o => !o.Succeeded && o.RolledBack);
        outcome.Message.Should().MatchRegex("web-[56] failed: GET /heartbeat → 503").And.Contain("removed the new web-5, web-6");
        memory.Instances.Select(i => (i.Slot, i.Image)).Should().Equal((1, V1), (2, V1), (3, V1), (4, V1));
        memory.Events.Should().NotContain(e => e.StartsWith("drain web-1") || e.StartsWith("stop web-1"));
        memory.MinServing.Should().Be(4);
        memory.States.Should().HaveCount(4).And.OnlyContain(kv => kv.Value == "ready");
    }

    [Fact]
    public async Task A_failure_in_a_later_batch_surges_the_earlier_batches_back_to_the_previous_version()
    {
        var group = Surging(4);
        var (engine, memory) = Make(group, V1);
        memory.OnEvent = e => { if (e == "remove web-2") memory.UnhealthyImages.Add(V2); return Task.CompletedTask; };

        var outcome = await engine.RunAsync(V2, new RolloutOptions(), CancellationToken.None);

        outcome.RolledBack.Should().BeTrue(outcome.Message);
        outcome.Message.Should().Contain("rolled back web-5, web-6");
        memory.Instances.Should().HaveCount(4).And.OnlyContain(i => i.Image == V1);
        memory.MinServing.Should().Be(4);
    }

    [Fact]
    public async Task A_surge_rollout_killed_between_start_and_removal_converges_on_the_next_run()
    {
        var group = Surging(4);
        var journalPath = Path.Combine(Path.GetTempPath(), $"deploy-journal-{Guid.NewGuid():N}.jsonl");
        var (engine, memory) = Make(group, V1, journalPath);
        using var kill = new CancellationTokenSource();
        memory.OnEvent = e => { if (e == "ready web-6") kill.Cancel(); return Task.CompletedTask; };
        await FluentActions
            .Awaiting(() => engine.RunAsync(V2, new RolloutOptions(), kill.Token))
            .Should()
            .ThrowAsync<OperationCanceledException>();

        memory.OnEvent = null;
        var outcome = await new RollingEngine(group, memory, memory, memory, new DeployJournal(journalPath)).RunAsync(
            V2,
            new RolloutOptions(),
            CancellationToken.None
        );

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        memory.Instances.Should().HaveCount(4).And.OnlyContain(i => i.Image == V2);
        memory.MinServing.Should().BeGreaterThanOrEqualTo(4);
    }
}
