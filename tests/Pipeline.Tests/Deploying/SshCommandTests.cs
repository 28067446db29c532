using FluentAssertions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Ssh;
using Pipeline.Tools.Ssh;
using Xunit;

namespace Pipeline.Tests.Deploying;

public class SshCommandTests
{
    [Fact]
    public void Remote_commands_are_quoted_words_so_values_never_become_shell_syntax()
    {
        SshHost.Line(["docker", "image", "inspect", "reg/app@sha256:ab", "it's; rm -rf /", ""]).Should()
            .Be("docker image inspect reg/app@sha256:ab 'it'\\''s; rm -rf /' ''");
        SshHost.Line(SshDockerCommands.EnsureImage("reg/app:1 x")).Should()
            .Be("sh -c 'docker image inspect --format . \"$1\" >/dev/null 2>&1 || docker pull -q \"$1\" ' sh 'reg/app:1 x'");
    }

    [Fact]
    public void A_colour_of_a_blue_green_group_is_run_with_its_label_and_listed_by_it()
    {
        var group = GroupPlanTests.Group(2) with
        {
            BlueGreen = new Pipeline.Deploying.Definitions.BlueGreenDefinition(TimeSpan.FromMinutes(5), "0.0.0.0", "0.0.0.0")
            {
                Switch = Pipeline.Deploying.Definitions.BlueGreenSwitch.Haproxy,
            },
            Ports = new(8080, 8081, "0.0.0.0"),
        };
        var green = group.InColour(Pipeline.Deploying.Definitions.Colour.Green);

        SshDockerCommands.Run(green, DesiredInstance.ForSlot(green, "reg/heartbeat@sha256:ab", 1)).Should()
            .ContainInOrder("--name", "pipeline-local-web-green-1").And.ContainInOrder("--label", "pipeline.colour=green")
            .And.Contain("0.0.0.0:8083:8080");
        SshDockerCommands.List(green).Should().ContainInOrder("--filter", "label=pipeline.colour=green");
        SshDockerCommands.List(group).Should().NotContain(a => a.Contains("colour", StringComparison.Ordinal));
    }

    [Fact]
    public void Instances_are_run_with_labels_ports_and_the_environment_over_stdin()
    {
        var group = GroupPlanTests.Group(2) with { Ports = new(8080, 8081, "0.0.0.0") };
        var instance = DesiredInstance.ForSlot(
            group with
            {
                SecretEnv = new Dictionary<string, string> { ["TOKEN"] = "s3cret" },
            },
            "reg/heartbeat@sha256:ab",
            2
        );

        var run = SshDockerCommands.Run(group, instance);

        run.Should().ContainInOrder("docker", "run", "-d", "--name", "pipeline-local-web-2");
        run.Should()
            .Contain("pipeline.slot=2")
            .And.Contain("0.0.0.0:8082:8080")
            .And.Contain("--env-file")
            .And.EndWith("reg/heartbeat@sha256:ab");
        run.Should().NotContain(a => a.Contains("s3cret"), "secret values travel over stdin, not the command line");
        SshDockerCommands.EnvFile(instance.Env).Should().Be("TOKEN=s3cret\n");
    }

    [Fact]
    public void Docker_ps_labels_are_parsed()
    {
        SshDockerCommands.ParseLabels("pipeline.slot=3,pipeline.image=r/h@sha256:ab,pipeline.deploy=staging")
            .Should().Contain("pipeline.slot", "3").And.Contain("pipeline.image", "r/h@sha256:ab");
    }
}
