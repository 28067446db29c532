using FluentAssertions;
using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;
using Xunit;
using static Pipeline.Tests.Deploying.GroupPlanTests;

namespace Pipeline.Tests.Deploying.BlueGreen;

public class BlueGreenPlanTests
{
    internal static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    internal static GroupDefinition BlueGreenGroup(int count = 2) =>
        Group(count) with { BlueGreen = new BlueGreenDefinition(TimeSpan.FromMinutes(30), "127.0.0.2", "127.0.0.3") };

    internal static IReadOnlyDictionary<Colour, IReadOnlyList<ObservedInstance>> Observed(
        GroupDefinition group, string? blue, string? green) =>
        new Dictionary<Colour, IReadOnlyList<ObservedInstance>>
        {
            [Colour.Blue] = blue is null ? [] : Running(group.InColour(Colour.Blue), blue, group.Count),
            [Colour.Green] = green is null ? [] : Running(group.InColour(Colour.Green), green, group.Count),
        };

    [Fact]
    public void A_first_deploy_starts_blue_as_a_whole_and_switches_to_it()
    {
        var group = BlueGreenGroup();
        var plan = BlueGreenPlan.Make(group, V1, ColourState.None, Observed(group, null, null), Now);

        plan.Target.Should().Be(Colour.Blue);
        plan.Switch.Should().BeTrue();
        plan.AsGroupPlan(TimeSpan.FromMinutes(30)).Lines().Should().Equal(
            "web: no colour live; start blue (127.0.0.2), check its health, then switch the dns: records to it",
            "+ web-blue-1  heartbeat@sha256:ab12ab12ab12…",
            "+ web-blue-2  heartbeat@sha256:ab12ab12ab12…");
    }

    [Fact]
    public void A_new_version_replaces_the_idle_colour_and_keeps_the_live_one_running()
    {
        var group = BlueGreenGroup();
        var state = new ColourState(Colour.Blue, Colour.Green, Now.AddHours(-2));
        var plan = BlueGreenPlan.Make(group, V2, state, Observed(group, V1, V1), Now);

        plan.Target.Should().Be(Colour.Green);
        plan.Switch.Should().BeTrue();
        plan.Expired.Should().BeEmpty();
        var printed = plan.AsGroupPlan(TimeSpan.FromMinutes(30));
        printed.Lines().First().Should().Be(
            "web: live blue; start green (127.0.0.3), check its health, then switch the dns: records to it and keep blue for 30m");
        printed.Pending.Select(c => c.Name).Should().Equal("web-green-1", "web-green-2");
        printed.Summary().Should().Be("local/web: 0 to add, 2 to replace, 0 to remove, dns: records to switch.");
    }

    [Fact]
    public void Deploying_the_version_the_kept_colour_runs_switches_back_to_it_without_starting_anything()
    {
        var group = BlueGreenGroup();
        var state = new ColourState(Colour.Green, Colour.Blue, Now.AddMinutes(-5));
        var plan = BlueGreenPlan.Make(group, V1, state, Observed(group, V1, V2), Now);

        plan.Target.Should().Be(Colour.Blue);
        plan.Switch.Should().BeTrue();
        plan.Idle.Pending.Should().BeEmpty();
    }

    [Fact]
    public void An_unchanged_live_colour_keeps_the_old_one_within_keep_and_removes_it_after()
    {
        var group = BlueGreenGroup();
        var within = BlueGreenPlan.Make(group, V2, new ColourState(Colour.Green, Colour.Blue, Now.AddMinutes(-10)),
            Observed(group, V1, V2), Now);
        within.Switch.Should().BeFalse();
        within.Expired.Should().BeEmpty();
        within.AsGroupPlan(TimeSpan.FromMinutes(30)).HasChanges.Should().BeFalse();
        within.AsGroupPlan(TimeSpan.FromMinutes(30)).Lines().Should().Equal("web: live green; blue kept for rollback until 12:20:00 UTC");

        var after = BlueGreenPlan.Make(group, V2, new ColourState(Colour.Green, Colour.Blue, Now.AddMinutes(-31)),
            Observed(group, V1, V2), Now);
        after.Switch.Should().BeFalse();
        after.Expired.Select(o => o.Name).Should().Equal("web-blue-1", "web-blue-2");
        after.AsGroupPlan(TimeSpan.FromMinutes(30)).Lines().Should().Equal(
            "web: live green; remove the old colour blue (kept 30m)",
            "- web-blue-1  heartbeat@sha256:ab12ab12ab12…  (old colour, keep passed)",
            "- web-blue-2  heartbeat@sha256:ab12ab12ab12…  (old colour, keep passed)");
    }

    [Fact]
    public void A_rolling_group_has_no_blue_green_plan()
    {
        var act = () => BlueGreenPlan.Make(Group(), V1, ColourState.None, Observed(BlueGreenGroup(), null, null), Now);
        act.Should().Throw<PipelineException>().WithMessage("groups/web: not a blue/green group (add blue_green: dns or haproxy)");
    }
}
