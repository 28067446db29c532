using FluentAssertions;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Engine;

/// <summary>The engine's start-up work: a long tool list is read only when a run asks for it, and the build's warm-up runs
/// once per run, after the plan, never for --help or --plan.</summary>
public class WarmUpAndLazyToolsTests
{
    private sealed class LazyToolsBuild : RecordingBuild
    {
        public int ToolListReads;
        public int WarmUps;
        public TaskCompletionSource WarmedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public IReadOnlyList<string>? PlannedAtWarmUp;

        private IEnumerable<Tool> LongToolList()
        {
            Interlocked.Increment(ref ToolListReads);
            return [Tool.Apt("sh", "dash")];
        }

        protected internal override Task WarmUpAsync()
        {
            Interlocked.Increment(ref WarmUps);
            PlannedAtWarmUp = ExecutionPlan.Select(t => t.Name).ToList();
            WarmedUp.TrySetResult();
            return Task.CompletedTask;
        }

        Target Prerequisites => _ => _.Description("Install tools.").Executes(() => { });
        Target Test => _ => _.Description("Needs a long tool list.").Needs(LongToolList).Executes(() => Ran.Add("Test"));
        Target Default => _ => _.Description("Default.").DependsOn(Test).Executes(() => Ran.Add("Default"));
    }

    [Fact]
    public async Task A_lazy_tool_list_is_not_read_to_build_the_graph_or_show_help()
    {
        var build = new LazyToolsBuild();

        var run = await EngineHarness.RunAsync(build, "--help");

        run.ExitCode.Should().Be(0);
        build.ToolListReads.Should().Be(0);
    }

    [Fact]
    public async Task A_lazy_tool_list_is_read_when_its_target_runs_and_orders_it_after_Prerequisites()
    {
        var build = new LazyToolsBuild();

        var run = await EngineHarness.RunAsync(build, "Prerequisites", "Test");

        run.ExitCode.Should().Be(0);
        build.ExecutionPlan.Select(t => t.Name).Should().Equal("Prerequisites", "Test");
        build.ExecutionPlan.Single(t => t.Name == "Test").Tools.Select(t => t.Command).Should().Equal("sh");
        build.ToolListReads.Should().Be(1);
    }

    [Fact]
    public async Task A_run_warms_up_once_with_the_plan_made_and_help_or_plan_do_not()
    {
        var running = new LazyToolsBuild();
        (await EngineHarness.RunAsync(running, "Test")).ExitCode.Should().Be(0);
        await running.WarmedUp.Task.WaitAsync(TimeSpan.FromSeconds(10));
        running.WarmUps.Should().Be(1);
        running.PlannedAtWarmUp.Should().Equal("Test");

        var help = new LazyToolsBuild();
        (await EngineHarness.RunAsync(help, "--help")).ExitCode.Should().Be(0);
        var plan = new LazyToolsBuild();
        (await EngineHarness.RunAsync(plan, "Test", "--plan")).ExitCode.Should().Be(0);
        help.WarmUps.Should().Be(0);
        plan.WarmUps.Should().Be(0);
    }

    [Fact]
    public async Task A_warm_up_that_throws_changes_nothing_in_the_run()
    {
        var build = new ThrowingWarmUpBuild();

        var run = await EngineHarness.RunAsync(build, "Default");

        run.ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Default");
    }

    private sealed class ThrowingWarmUpBuild : RecordingBuild
    {
        protected internal override Task WarmUpAsync() => throw new InvalidOperationException("warm-up failed");
        Target Default => _ => _.Description("Default.").Executes(() => Ran.Add("Default"));
    }
}
