using FluentAssertions;
using Pipeline.Clustering;
using Xunit;

namespace Pipeline.Tests.Clustering;

public sealed class ClusterProjectTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void A_project_name_is_the_prefix_the_time_the_pid_and_a_random_part_and_valid_for_compose()
    {
        var project = ClusterProject.New("pipeline-cluster-", Now, 4242);
        project.Name.Should().MatchRegex("^pipeline-cluster-20261122t030405-4242-[0-9a-f]{6}$");
        project.RunId.Should().MatchRegex("^20261122T030405-4242-[0-9a-f]{6}$");
        ClusterProject.IsValid(project.Name).Should().BeTrue();
        project.ContainerFilter.Should().Be($"com.docker.compose.project={project.Name}");
    }

    [Fact]
    public void Two_runs_in_the_same_second_of_the_same_process_get_different_names()
    {
        Enumerable.Range(0, 50).Select(_ => ClusterProject.New("pipeline-cluster-test-", Now, 1).Name).Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData("Pipeline Cluster.Test", "pipeline-cluster-test")]
    [InlineData("--_x", "x")]
    [InlineData("ünïcode", "n-code")]
    [InlineData("...", "cluster")]
    public void Names_are_made_valid_for_both_compose_flavours(string name, string expected)
    {
        var clean = ClusterProject.Sanitize(name);
        clean.Should().Be(expected);
        ClusterProject.IsValid(clean).Should().BeTrue();
    }
}
