using FluentAssertions;
using Pipeline.Clustering;
using Xunit;

namespace Pipeline.Tests.Clustering;

public sealed class ComposeCommandsTests
{
    private static readonly ComposeCommands V1 = new(ComposeFlavor.V1, "pipeline-cluster-x", "/tmp/run/compose.yml");
    private static readonly ComposeCommands V2 = V1 with { Flavor = ComposeFlavor.V2 };

    [Fact]
    public void V1_is_docker_compose_with_the_project_and_file_before_the_command()
    {
        V1.Executable.Should().Be("docker-compose");
        V1.Up().Should().Equal("-p", "pipeline-cluster-x", "-f", "/tmp/run/compose.yml", "up", "-d", "--no-build", "--no-color");
        V1.Ps().Should().Equal("-p", "pipeline-cluster-x", "-f", "/tmp/run/compose.yml", "ps", "-a");
        V1.Logs().Should().Equal("-p", "pipeline-cluster-x", "-f", "/tmp/run/compose.yml", "logs", "--no-color", "--timestamps");
        V1.Down()
            .Should()
            .Equal("-p", "pipeline-cluster-x", "-f", "/tmp/run/compose.yml", "down", "-v", "--remove-orphans", "--timeout", "5");
    }

    [Fact]
    public void V2_is_the_docker_compose_plugin_with_the_same_arguments()
    {
        V2.Executable.Should().Be("docker");
        V2.Up().Should().Equal(["compose", .. V1.Up()]);
        V2.Down(2)
            .Should()
            .Equal("compose", "-p", "pipeline-cluster-x", "-f", "/tmp/run/compose.yml", "down", "-v", "--remove-orphans", "--timeout", "2");
        ComposeCommands.V2Probe.Should().Equal("compose", "version");
    }

    [Fact]
    public void The_display_form_quotes_what_a_shell_would_split()
    {
        (V1 with { File = "/tmp/my run/compose.yml" })
            .Display(V1.Ps())
            .Should()
            .Be("docker-compose -p pipeline-cluster-x -f /tmp/run/compose.yml ps -a");
        V1.Display(["-f", "/tmp/my run/c.yml"]).Should().Be("docker-compose -f '/tmp/my run/c.yml'");
    }
}
