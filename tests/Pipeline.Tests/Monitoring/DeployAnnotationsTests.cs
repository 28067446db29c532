using FluentAssertions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Monitoring;
using Pipeline.Tests.Deploying;
using Xunit;

namespace Pipeline.Tests.Monitoring;

public sealed class DeployAnnotationsTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_796_580_000);

    private static DeployOutcome Outcome(bool succeeded, bool rolledBack)
    {
        var group = GroupPlanTests.Group();
        var plan = GroupPlan.Make(group, GroupPlanTests.V2, GroupPlanTests.Running(group, GroupPlanTests.V1, 3));
        return new("d-1", succeeded, rolledBack, "m", plan, Start, Start.AddSeconds(75));
    }

    [Fact]
    public void A_deploy_is_a_region_from_start_to_end_tagged_with_environment_and_group_and_says_old_new_and_result()
    {
        var a = DeployAnnotations.For(Outcome(true, false), manualRollback: false, "deploys");

        a.Time.Should().Be(Start);
        a.TimeEnd.Should().Be(Start.AddSeconds(75));
        a.Tags.Should().Equal("pipeline", "deploy", "local", "web");
        a.Text.Should().Be("web heartbeat@sha256:ab12ab12ab12… → heartbeat@sha256:cd34cd34cd34… (succeeded)");
        a.DashboardUid.Should().Be("deploys");
    }

    [Fact]
    public void An_automatic_rollback_is_tagged_rollback_and_says_so()
    {
        var a = DeployAnnotations.For(Outcome(false, true), manualRollback: false, null);

        a.Tags.Should().Equal("pipeline", "deploy", "local", "web", "rollback");
        a.Text.Should().EndWith("(rolled back)");
        a.DashboardUid.Should().BeNull();
    }

    [Fact]
    public void A_halted_deploy_is_no_rollback()
    {
        var a = DeployAnnotations.For(Outcome(false, false), manualRollback: false, null);

        a.Tags.Should().NotContain("rollback");
        a.Text.Should().EndWith("(halted)");
    }

    [Fact]
    public void Deploy_rollback_is_tagged_rollback_and_names_the_colour_it_went_back_to()
    {
        var back = new DeployOutcome("d-2", true, false, "m", new GroupPlan(GroupPlanTests.Group(), GroupPlanTests.V2, []), Start,
            Start.AddSeconds(3))
        { Live = "blue" };

        var a = DeployAnnotations.For(back, manualRollback: true, null);

        a.Tags.Should().Equal("pipeline", "deploy", "local", "web", "rollback");
        a.Text.Should().Be("web rollback to blue (succeeded)");
    }
}
