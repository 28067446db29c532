using FluentAssertions;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Engine;

public class PlanOrderTests
{
    private sealed class Chain : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default)).DependsOn(Deploy);
        Target Compile => _ => Records(_, nameof(Compile));
        Target Pack => _ => Records(_, nameof(Pack)).DependsOn(Compile);
        Target Deploy => _ => Records(_, nameof(Deploy)).DependsOn(Pack);
        Target Unrelated => _ => Records(_, nameof(Unrelated));
    }

    [Fact]
    public async Task Dependencies_run_first_and_only_what_the_invoked_target_needs_runs()
    {
        var build = new Chain();
        var run = await EngineHarness.RunAsync(build, "Deploy");

        run.ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Compile", "Pack", "Deploy");
    }

    [Fact]
    public async Task No_target_named_runs_the_default_target()
    {
        var build = new Chain();
        (await EngineHarness.RunAsync(build)).ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Compile", "Pack", "Deploy", "Default");
    }

    [Fact]
    public async Task Target_names_match_case_insensitively_with_dashes_ignored()
    {
        var build = new Chain();
        (await EngineHarness.RunAsync(build, "de-PLOY")).ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Compile", "Pack", "Deploy");
    }

    [Fact]
    public async Task The_target_flag_names_targets_too()
    {
        var build = new Chain();
        (await EngineHarness.RunAsync(build, "--target", "pack")).ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Compile", "Pack");
    }

    private sealed class Dependents : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default));
        Target Restore => _ => Records(_, nameof(Restore)).DependentFor(Compile);
        Target Compile => _ => Records(_, nameof(Compile));
        Target Lint => _ => Records(_, nameof(Lint)).After(Compile);
        Target Clean => _ => Records(_, nameof(Clean)).Before(Restore, Compile);
    }

    [Fact]
    public async Task DependentFor_pulls_the_target_in_before_its_dependent()
    {
        var build = new Dependents();
        (await EngineHarness.RunAsync(build, "Compile")).ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Restore", "Compile");
    }

    [Fact]
    public async Task After_and_Before_order_only_when_both_targets_are_in_the_plan()
    {
        var alone = new Dependents();
        await EngineHarness.RunAsync(alone, "Lint");
        alone.Ran.Should().Equal("Lint");

        var both = new Dependents();
        await EngineHarness.RunAsync(both, "Lint", "Compile", "Clean");
        both.Ran.Should().Equal("Clean", "Restore", "Compile", "Lint");
    }

    private sealed class Independent : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default));
        Target A => _ => Records(_, nameof(A));
        Target B => _ => Records(_, nameof(B)).DependsOn(D, C);
        Target C => _ => Records(_, nameof(C));
        Target D => _ => Records(_, nameof(D));
    }

    [Fact]
    public async Task Ties_follow_the_order_the_user_typed()
    {
        var build = new Independent();
        await EngineHarness.RunAsync(build, "C", "A");
        build.Ran.Should().Equal("C", "A");
    }

    [Fact]
    public async Task Ties_among_dependencies_follow_the_order_DependsOn_lists_them()
    {
        var build = new Independent();
        await EngineHarness.RunAsync(build, "B", "A");
        build.Ran.Should().Equal("D", "C", "B", "A");
    }

    [Fact]
    public async Task A_target_named_twice_runs_once()
    {
        var build = new Independent();
        await EngineHarness.RunAsync(build, "A", "a", "--target", "A");
        build.Ran.Should().Equal("A");
    }

    private sealed class Triggering : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default));
        Target Publish => _ => Records(_, nameof(Publish)).Triggers(Notify);
        Target Notify => _ => Records(_, nameof(Notify));
        Target Audit => _ => Records(_, nameof(Audit)).TriggeredBy(Publish);
        Target Other => _ => Records(_, nameof(Other));
    }

    [Fact]
    public async Task Triggers_and_TriggeredBy_add_targets_that_run_after_the_trigger()
    {
        var build = new Triggering();
        (await EngineHarness.RunAsync(build, "Publish")).ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Publish", "Notify", "Audit");
    }

    [Fact]
    public async Task Triggered_targets_do_not_run_when_their_trigger_is_not_in_the_plan()
    {
        var build = new Triggering();
        await EngineHarness.RunAsync(build, "Other");
        build.Ran.Should().Equal("Other");
    }

    private sealed class NamedLikeFlags : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default));
        Target Plan => _ => Records(_, nameof(Plan));
        Target Verbose => _ => Records(_, nameof(Verbose));
    }

    [Fact]
    public async Task Targets_may_share_a_name_with_the_engine_flags()
    {
        var run = new NamedLikeFlags();
        (await EngineHarness.RunAsync(run, "Plan", "Verbose")).ExitCode.Should().Be(0);
        run.Ran.Should().Equal("Plan", "Verbose");

        var planned = new NamedLikeFlags();
        var result = await EngineHarness.RunAsync(planned, "--plan", "Plan");
        result.ExitCode.Should().Be(0);
        planned.Ran.Should().BeEmpty();
        result.Output.Should().Contain("Execution plan:\n   1. Plan\n");
    }

    [Fact]
    public async Task The_build_sees_its_execution_plan_and_all_targets()
    {
        var build = new Chain();
        await EngineHarness.RunAsync(build, "Pack");
        build.ExecutionPlan.Select(t => t.Name).Should().Equal("Compile", "Pack");
        build.AllTargets.Select(t => t.Name).Should().Equal("Default", "Compile", "Pack", "Deploy", "Unrelated");
    }
}
