using FluentAssertions;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Xunit;

namespace Pipeline.Tests.Deploying;

public class GroupPlanTests
{
    internal const string V1 = "127.0.0.1:21500/pipeline/heartbeat@sha256:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
    internal const string V2 = "127.0.0.1:21500/pipeline/heartbeat@sha256:cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34";

    internal static GroupDefinition Group(int count = 3) => new("local", "web", ProviderKind.Docker, "heartbeat", count,
        new PortsDefinition(8080, 25101), new Dictionary<string, string>(), new Dictionary<string, string>(),
        new HealthCheckDefinition("/heartbeat", null, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1), 2, 3, TimeSpan.FromSeconds(5)),
        RollingPolicy.Default with { Batch = new BatchSize(2, false), MinHealthyPercent = 0 }, null, new OutputsDefinition(null, null));

    internal static IReadOnlyList<ObservedInstance> Running(GroupDefinition group, string image, int count) =>
        DesiredInstance
            .For(group with { Count = count }, image)
            .Select(d => new ObservedInstance(d.Name, d.Slot, d.Image, d.SpecHash, $"127.0.0.1:{group.Ports.HostPort(d.Slot)}", true))
            .ToList();

    [Fact]
    public void Changed_images_are_listed_per_instance_terraform_style()
    {
        var group = Group();
        var plan = GroupPlan.Make(group, V2, Running(group, V1, 3));
        plan.Lines().Should().Equal(
            "~ web-1  heartbeat@sha256:ab12ab12ab12… → @sha256:cd34cd34cd34…",
            "~ web-2  heartbeat@sha256:ab12ab12ab12… → @sha256:cd34cd34cd34…",
            "~ web-3  heartbeat@sha256:ab12ab12ab12… → @sha256:cd34cd34cd34…");
        plan.Summary().Should().Be("local/web: 0 to add, 3 to replace, 0 to remove.");
    }

    [Fact]
    public void Count_changes_add_and_remove_slots()
    {
        var group = Group(4);
        GroupPlan
            .Make(group, V1, Running(group, V1, 2))
            .Lines()
            .Should()
            .Equal("+ web-3  heartbeat@sha256:ab12ab12ab12…", "+ web-4  heartbeat@sha256:ab12ab12ab12…");
        GroupPlan
            .Make(group with { Count = 1 }, V1, Running(group, V1, 2))
            .Lines()
            .Should()
            .Equal("- web-2  heartbeat@sha256:ab12ab12ab12…");
    }

    [Fact]
    public void Nothing_is_listed_when_the_group_runs_what_is_desired()
    {
        var group = Group();
        var plan = GroupPlan.Make(group, V2, Running(group, V2, 3));
        plan.HasChanges.Should().BeFalse();
        plan.Lines().Should().BeEmpty();
        plan.Summary().Should().StartWith("local/web: no changes (3 × heartbeat@sha256:cd34");
    }

    [Fact]
    public void A_changed_environment_variable_replaces_the_instance_with_a_reason()
    {
        var group = Group(1);
        var changed = group with { Env = new Dictionary<string, string> { ["A"] = "1" } };
        GroupPlan
            .Make(changed, V1, Running(group, V1, 1))
            .Lines()
            .Should()
            .Equal("~ web-1  heartbeat@sha256:ab12ab12ab12…  (environment or ports changed)");
    }
}
