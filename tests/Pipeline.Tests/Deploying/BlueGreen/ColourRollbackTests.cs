using FluentAssertions;
using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Engine;
using Xunit;
using static Pipeline.Tests.Deploying.BlueGreen.BlueGreenPlanTests;
using static Pipeline.Tests.Deploying.GroupPlanTests;

namespace Pipeline.Tests.Deploying.BlueGreen;

public class ColourRollbackTests
{
    [Fact]
    public void A_rollback_within_keep_switches_to_the_old_colour()
    {
        var group = BlueGreenGroup();
        var state = new ColourState(Colour.Green, Colour.Blue, Now.AddMinutes(-5));
        ColourRollback.Target(group, state, Observed(group, V1, V2), Now).Should().Be(Colour.Blue);
    }

    [Fact]
    public void A_rollback_after_keep_is_refused_and_says_to_deploy_the_previous_image()
    {
        var group = BlueGreenGroup();
        var state = new ColourState(Colour.Green, Colour.Blue, Now.AddMinutes(-31));
        var act = () => ColourRollback.Target(group, state, Observed(group, V1, V2), Now);
        act.Should().Throw<PipelineException>().WithMessage(
            "groups/web: cannot roll back to blue: it was kept until 2026-12-05 11:59:00 UTC (keep 30m) and is removed on the next "
            + "deploy; deploy the previous image instead");
    }

    [Fact]
    public void A_rollback_without_a_kept_or_running_old_colour_is_refused()
    {
        var group = BlueGreenGroup();
        var first = () => ColourRollback.Target(group, new ColourState(Colour.Blue, null, Now), Observed(group, V1, null), Now);
        first.Should().Throw<PipelineException>().WithMessage("groups/web: cannot roll back: no old colour was kept (live blue)*");

        var gone = () => ColourRollback.Target(group, new ColourState(Colour.Green, Colour.Blue, Now), Observed(group, null, V2), Now);
        gone.Should().Throw<PipelineException>().WithMessage("groups/web: cannot roll back to blue: 0 of its 2 instances run*");
    }

    [Fact]
    public void A_switch_records_the_previous_colour_and_when()
    {
        var state = new ColourState(Colour.Blue, null, null).SwitchedTo(Colour.Green, Now);
        state.Should().Be(new ColourState(Colour.Green, Colour.Blue, Now));
        state.KeptUntil(TimeSpan.FromMinutes(30)).Should().Be(Now.AddMinutes(30));
        state.SwitchedTo(Colour.Blue, Now.AddMinutes(1)).Should().Be(new ColourState(Colour.Blue, Colour.Green, Now.AddMinutes(1)));
    }
}
