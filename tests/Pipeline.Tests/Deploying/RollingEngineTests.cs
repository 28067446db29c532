using FluentAssertions;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Rolling;
using Xunit;
using static Pipeline.Tests.Deploying.GroupPlanTests;

namespace Pipeline.Tests.Deploying;

public class RollingEngineTests
{
    private static (RollingEngine Engine, InMemoryGroup Memory, DeployJournal Journal) Make(
        GroupDefinition group,
        string seedImage,
        string? journalPath = null
    )
    {
        var memory = new InMemoryGroup();
        memory.Seed(group, seedImage, group.Count);
        var journal = new DeployJournal(journalPath ?? Path.Combine(Path.GetTempPath(), $"deploy-journal-{Guid.NewGuid():N}.jsonl"));
        return (new RollingEngine(group, memory, memory, memory, journal), memory, journal);
    }

    [Fact]
    public async Task Rolls_six_instances_in_batches_of_two_never_more_than_two_out_of_traffic()
    {
        var group = Group(6);
        var (engine, memory, _) = Make(group, V1);

        var outcome = await engine.RunAsync(V2, new RolloutOptions(), CancellationToken.None);

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        Enumerable.Range(1, 6).Select(memory.ImageOf).Should().AllBe(V2);
        memory.MaxOutOfTraffic.Should().Be(2);
        memory.States.Values.Should().AllBe("ready");
        memory
            .Events.IndexOf("ready web-2")
            .Should()
            .BeLessThan(memory.Events.IndexOf("drain web-3"), "a batch starts after the previous one is in traffic");
    }

    [Fact]
    public async Task Rolling_deploy_rolls_back_when_the_first_batch_is_unhealthy()
    {
        var group = Group(6);
        var (engine, memory, _) = Make(group, V1);
        memory.UnhealthyImages.Add(V2);

        var outcome = await engine.RunAsync(V2, new RolloutOptions(), CancellationToken.None);

        outcome.Succeeded.Should().BeFalse();
        outcome.RolledBack.Should().BeTrue();
        outcome.Message.Should().MatchRegex("local/web: web-[12] failed: GET /heartbeat → 503").And.Contain("rolled back web-1, web-2");
        Enumerable.Range(1, 6).Select(memory.ImageOf).Should().AllBe(V1);
        memory.States.Values.Should().AllBe("ready");
        memory.Events.Should().NotContain(e => e.StartsWith("drain web-3"), "the rollout stopped at the failed batch");
    }

    [Fact]
    public async Task Halt_leaves_the_failed_instance_out_of_traffic_and_the_rest_on_their_versions()
    {
        var group = Group(4) with { Rolling = Group().Rolling with { OnFailure = FailureAction.Halt, Batch = new BatchSize(1, false) } };
        var (engine, memory, _) = Make(group, V1);
        memory.UnhealthyImages.Add(V2);

        var outcome = await engine.RunAsync(V2, new RolloutOptions(), CancellationToken.None);

        outcome.Should().Match<DeployOutcome>(o => !o.Succeeded && !o.RolledBack);
        outcome.Message.Should().Contain("web-1 failed").And.Contain("halted");
        memory.States["web-1"].Should().Be("maint");
        memory.ImageOf(2).Should().Be(V1);
    }

    [Fact]
    public async Task A_second_run_after_an_interrupted_one_puts_healthy_instances_back_and_converges()
    {
        var group = Group(4);
        var journalPath = Path.Combine(Path.GetTempPath(), $"deploy-journal-{Guid.NewGuid():N}.jsonl");
        var (engine, memory, _) = Make(group, V1, journalPath);
        using var kill = new CancellationTokenSource();
        memory.OnEvent = e => { if (e == "drain web-3") kill.Cancel(); return Task.CompletedTask; };

        var interrupted = () => engine.RunAsync(V2, new RolloutOptions(), kill.Token);
        await interrupted.Should().ThrowAsync<OperationCanceledException>();
        memory.States["web-3"].Should().Be("maint", "the killed run had drained web-3");

        memory.OnEvent = null;
        var second = new RollingEngine(group, memory, memory, memory, new DeployJournal(journalPath));
        var outcome = await second.RunAsync(V2, new RolloutOptions(), CancellationToken.None);

        outcome.Succeeded.Should().BeTrue(outcome.Message);
        Enumerable.Range(1, 4).Select(memory.ImageOf).Should().AllBe(V2);
        memory.States.Values.Should().AllBe("ready");
        memory.Events.Should().Contain("ready web-3");
    }

    [Fact]
    public async Task A_failure_after_an_interrupted_run_rolls_back_what_that_run_had_moved_too()
    {
        var group = Group(4);
        var journalPath = Path.Combine(Path.GetTempPath(), $"deploy-journal-{Guid.NewGuid():N}.jsonl");
        var (engine, memory, _) = Make(group, V1, journalPath);
        using var kill = new CancellationTokenSource();
        memory.OnEvent = e => { if (e == "drain web-3") kill.Cancel(); return Task.CompletedTask; };
        await FluentActions
            .Awaiting(() => engine.RunAsync(V2, new RolloutOptions(), kill.Token))
            .Should()
            .ThrowAsync<OperationCanceledException>();

        memory.OnEvent = null;
        memory.UnhealthyImages.Add(V2);
        var outcome = await new RollingEngine(group, memory, memory, memory, new DeployJournal(journalPath)).RunAsync(
            V2,
            new RolloutOptions(),
            CancellationToken.None
        );

        outcome.RolledBack.Should().BeTrue(outcome.Message);
        Enumerable.Range(1, 4).Select(memory.ImageOf).Should().AllBe(V1);
    }

    [Fact]
    public async Task An_up_to_date_group_is_left_alone()
    {
        var group = Group(3);
        var (engine, memory, _) = Make(group, V2);
        var outcome = await engine.RunAsync(V2, new RolloutOptions(), CancellationToken.None);
        outcome.Message.Should().Contain("up to date");
        memory.Events.Should().BeEmpty();
    }
}
