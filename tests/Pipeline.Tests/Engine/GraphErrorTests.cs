// [Parameter] fields are set by the engine through reflection (as build/_build.csproj notes for CS0649).
#pragma warning disable CS0649, CS0169, CS0414

using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Graph;
using Xunit;

namespace Pipeline.Tests.Engine;

public class GraphErrorTests
{
    private sealed class Cycle : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default));
        Target A => _ => Records(_, nameof(A)).DependsOn(B);
        Target B => _ => Records(_, nameof(B)).DependsOn(A);
    }

    private sealed class OrderingCycle : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default));
        Target A => _ => Records(_, nameof(A)).After(B);
        Target B => _ => Records(_, nameof(B)).After(C);
        Target C => _ => Records(_, nameof(C)).Before(A).DependsOn(A);
    }

    [Fact]
    public async Task A_dependency_cycle_is_reported_as_a_path_before_anything_runs()
    {
        var build = new Cycle();
        var run = await EngineHarness.RunAsync(build, "Default");

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("Circular dependency: A -> B -> A");
        build.Ran.Should().BeEmpty();
    }

    [Fact]
    public void Ordering_edges_count_for_cycles_too()
    {
        var act = () => TargetGraph.Create(new OrderingCycle());
        act.Should().Throw<UsageException>().WithMessage("Circular dependency: *A*->*A*");
    }

    private sealed class Plain : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default));
        Target Compile => _ => Records(_, nameof(Compile)).Description("Compile.");
        Target Publish => _ => Records(_, nameof(Publish));
        Target Hidden => _ => Records(_, nameof(Hidden)).Unlisted();
        [Parameter("Max parallel.")] readonly int MaxParallel = 1;
    }

    [Fact]
    public async Task An_unknown_target_exits_2_and_suggests_the_closest_one()
    {
        var build = new Plain();
        var run = await EngineHarness.RunAsync(build, "Compile", "Publsh");

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("Unknown target 'Publsh'. Did you mean 'Publish'?");
        build.Ran.Should().BeEmpty();
    }

    [Fact]
    public async Task An_unknown_parameter_exits_2_with_a_suggestion()
    {
        var run = await EngineHarness.RunAsync<Plain>("Compile", "--max-paralel", "2");

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("Unknown parameter '--max-paralel'. Did you mean '--max-parallel'?");
    }

    [Fact]
    public async Task An_unknown_parameter_far_from_any_other_is_still_a_one_line_usage_error()
    {
        var run = await EngineHarness.RunAsync<Plain>("--unknown-flag");

        run.ExitCode.Should().Be(2);
        run.Output.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("Unknown parameter '--unknown-flag'");
    }

    private sealed class Foreign : RecordingBuild
    {
        private static readonly Target Stray = _ => _;
        Target Default => _ => Records(_, nameof(Default)).DependsOn(Stray);
    }

    [Fact]
    public void A_reference_to_a_target_that_is_not_a_property_is_a_usage_error()
    {
        var act = () => TargetGraph.Create(new Foreign());
        act.Should().Throw<UsageException>().WithMessage("*'Default'*DependsOn*");
    }
}
