// [Parameter] fields are set by the engine through reflection (as build/_build.csproj notes for CS0649).
#pragma warning disable CS0649, CS0169, CS0414

using FluentAssertions;
using Pipeline.Engine;
using Xunit;

namespace Pipeline.Tests.Engine;

public class SkipConditionRequiresTests
{
    private sealed class Chain : RecordingBuild
    {
        public bool Flag;
        public bool Dynamic = true;

        [Parameter("Where to deploy.", Name = "Environment", EnvironmentVariable = "DEPLOY_ENV")]
        readonly string? EnvironmentName;

        [Parameter("How many.")]
        readonly int? MaxCount;

        Target Default => _ => Records(_, nameof(Default)).DependsOn(Deploy);
        Target Compile => _ => Records(_, nameof(Compile));
        Target Pack => _ => Records(_, nameof(Pack)).DependsOn(Compile);
        Target Deploy => _ => Records(_, nameof(Deploy)).DependsOn(Pack);
        Target Static => _ => Records(_, nameof(Static)).DependsOn(Compile).OnlyWhenStatic(() => Flag);
        Target Late => _ => Records(_, nameof(Late)).DependsOn(Compile).OnlyWhenDynamic(() => Dynamic)
            .Executes(() => { }).DependentFor(Deploy);
        Target Flip => _ => _.Executes(() => Dynamic = false);
        Target NeedsEnv => _ => Records(_, nameof(NeedsEnv)).Requires(() => EnvironmentName);
        Target NeedsCount => _ => Records(_, nameof(NeedsCount)).Requires(() => MaxCount);
        [Parameter("Really do it.")] readonly bool Confirm;
        Target NeedsSwitch => _ => _.Requires(() => Confirm);
        Target NeedsFlag => _ => Records(_, nameof(NeedsFlag)).Requires(() => Flag);
        Target NeedsBoth => _ => _.DependsOn(NeedsEnv, NeedsCount);
        Target SkippedNeed => _ => _.Requires(() => EnvironmentName).OnlyWhenStatic(() => Flag);
    }

    [Fact]
    public async Task Skip_leaves_the_named_target_out_but_its_dependencies_still_run()
    {
        var build = new Chain();
        var run = await EngineHarness.RunAsync(build, "Deploy", "--skip", "Pack");

        run.ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Compile", "Late", "Deploy");
        run.SummaryRow("Pack").Should().Contain("Skipped (--skip)");
    }

    [Fact]
    public async Task Skip_alone_runs_only_the_invoked_targets()
    {
        var build = new Chain();
        var run = await EngineHarness.RunAsync(build, "Deploy", "--skip");

        run.ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Deploy");
        run.SummaryRow("Compile").Should().Contain("Skipped (--skip)");
    }

    [Fact]
    public async Task Skip_of_an_unknown_target_is_a_usage_error_with_a_suggestion()
    {
        var build = new Chain();
        var run = await EngineHarness.RunAsync(build, "Deploy", "--skip", "Pakc");

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("unknown target 'Pakc'").And.Contain("Did you mean 'Pack'?");
        build.Ran.Should().BeEmpty();
    }

    [Fact]
    public async Task A_false_static_condition_skips_the_target_with_the_condition_as_reason_and_its_dependencies_run()
    {
        var build = new Chain();
        var run = await EngineHarness.RunAsync(build, "Static");

        run.ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Compile");
        run.SummaryRow("Static").Should().Contain("Skipped (condition false: Flag)");
    }

    [Fact]
    public async Task A_true_static_condition_runs_the_target()
    {
        var build = new Chain { Flag = true };
        (await EngineHarness.RunAsync(build, "Static")).ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Compile", "Static");
    }

    [Fact]
    public async Task A_dynamic_condition_is_decided_right_before_the_target_would_run()
    {
        var build = new Chain();
        var run = await EngineHarness.RunAsync(build, "Flip", "Late");

        run.ExitCode.Should().Be(0);
        build.Ran.Should().Equal("Compile");
        run.SummaryRow("Late").Should().Contain("Skipped (condition false: Dynamic)");
        run.SummaryRow("Flip").Should().Contain("Succeeded");
    }

    [Fact]
    public async Task An_unmet_requirement_stops_the_run_before_anything_runs_naming_the_flag_and_the_variable()
    {
        var build = new Chain();
        var run = await EngineHarness.RunAsync(build, "Compile", "NeedsEnv");

        run.ExitCode.Should().Be(2);
        build.Ran.Should().BeEmpty();
        run.Output.Should().Contain("Target 'NeedsEnv' requires --environment")
            .And.Contain("set DEPLOY_ENV")
            .And.NotContain("--environment-name");
    }

    [Fact]
    public async Task Every_unmet_requirement_is_reported_at_once()
    {
        var run = await EngineHarness.RunAsync(new Chain(), "NeedsBoth");

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("requires --environment").And.Contain("requires --max-count").And.Contain("MAX_COUNT");
    }

    [Fact]
    public async Task A_requirement_met_by_the_command_line_or_the_environment_lets_the_target_run()
    {
        var byFlag = new Chain();
        (await EngineHarness.RunAsync(byFlag, "NeedsEnv", "--environment", "prod")).ExitCode.Should().Be(0);
        byFlag.Ran.Should().Equal("NeedsEnv");

        var byEnv = new Chain();
        var run = await EngineHarness.RunAsync(
            byEnv,
            EngineHarness.DefaultOf<Chain>(),
            ["NeedsEnv"],
            new Dictionary<string, string> { ["DEPLOY_ENV"] = "prod" }
        );
        run.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Plan_shows_the_plan_and_what_a_run_would_need_instead_of_failing()
    {
        var run = await EngineHarness.RunAsync(new Chain(), "--plan", "NeedsEnv");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("1. NeedsEnv").And.Contain("WRN To run this plan: Target 'NeedsEnv' requires --environment");
    }

    [Fact]
    public async Task A_boolean_requirement_names_the_condition()
    {
        var run = await EngineHarness.RunAsync(new Chain(), "NeedsFlag");
        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("Target 'NeedsFlag' requires Flag.");
    }

    [Fact]
    public async Task A_required_switch_says_how_to_switch_it_on()
    {
        var run = await EngineHarness.RunAsync(new Chain(), "NeedsSwitch");
        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("Target 'NeedsSwitch' requires --confirm (pass --confirm, or set CONFIRM=true).");
        (await EngineHarness.RunAsync(new Chain(), "NeedsSwitch", "--confirm")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Requirements_of_skipped_targets_are_not_checked()
    {
        var run = await EngineHarness.RunAsync(new Chain(), "SkippedNeed");
        run.ExitCode.Should().Be(0);
        run.SummaryRow("SkippedNeed").Should().Contain("Skipped (condition false: Flag)");
    }
}
