using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Docker;
using Xunit;
using RestartPolicyKind = Docker.DotNet.Models.RestartPolicyKind;

namespace Pipeline.Tests.Tools.Docker;

public sealed class EngineParametersTests
{
    [Theory]
    [InlineData(null, "unix:///var/run/docker.sock")]
    [InlineData("", "unix:///var/run/docker.sock")]
    [InlineData("unix:///run/user/1000/docker.sock", "unix:///run/user/1000/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375")]
    public void DOCKER_HOST_names_a_unix_socket_or_a_loopback_port(string? value, string expected)
    {
        DockerEndpoint.Parse(value).ToString().Should().Be(expected);
        DockerEndpoint.Parse(value).Uri.Should().Be(new Uri(expected));
    }

    [Theory]
    [InlineData("tcp://10.0.0.5:2375")]
    [InlineData("ssh://host")]
    [InlineData("unix://")]
    public void DOCKER_HOST_elsewhere_is_refused_with_a_usage_error(string value) =>
        FluentActions.Invoking(() => DockerEndpoint.Parse(value)).Should().Throw<UsageException>().WithMessage("DOCKER_HOST=*");

    [Theory]
    [InlineData("1.41", "1.41")] // docker.io 20.10
    [InlineData("1.40", "1.40")]
    [InlineData("1.47", "1.47")]
    [InlineData("1.52", "1.52")] // Docker 29, whose minimum is 1.44: an old pinned version would be refused there
    [InlineData("1.54", "1.52")]
    public void The_api_version_is_the_lower_of_the_engines_and_ours(string engine, string used) =>
        DockerClient.Negotiate(engine).Should().Be(used);

    [Fact]
    public void An_engine_older_than_api_1_25_is_refused() =>
        FluentActions
            .Invoking(() => DockerClient.Negotiate("1.24"))
            .Should()
            .Throw<PipelineException>()
            .WithMessage("*upgrade the engine*");

    [Fact]
    public void Build_sends_tags_labels_and_removes_failed_containers_unless_asked_to_keep_them()
    {
        var build = EngineParameters.Build(new BuildOptions
        {
            Tags = ["base:1", "base:abc"],
            Labels = new Dictionary<string, string> { ["pipeline.hash"] = "abc" },
        });
        build.Tags.Should().Equal("base:1", "base:abc");
        build.Labels.Should().Equal(new Dictionary<string, string> { ["pipeline.hash"] = "abc" });
        build.Dockerfile.Should().Be("Dockerfile");
        (build.Remove, build.ForceRemove, build.NoCache).Should().Be((true, true, false));
        build.BuildArgs.Should().BeNull();
        EngineParameters.Build(new BuildOptions { KeepFailedContainer = true }).ForceRemove.Should().BeFalse();
    }

    [Fact]
    public void Lists_filter_by_label_and_reference_and_send_no_filter_when_there_is_none()
    {
        var filters = EngineParameters.Filters(["pipeline.image=base"], ["base"]);
        filters!["label"].Keys.Should().Equal("pipeline.image=base");
        filters["reference"].Keys.Should().Equal("base");
        EngineParameters.Filters(null).Should().BeNull();
        EngineParameters.Filters([]).Should().BeNull();
    }

    [Fact]
    public void Container_create_carries_ports_on_loopback_env_labels_healthcheck_and_network()
    {
        var create = EngineParameters.Create(
            new ContainerSpec("heartbeat:abc")
            {
                Name = "hb-1",
                Env = new Dictionary<string, string> { ["HEARTBEAT_PORT"] = "8080" },
                Labels = new Dictionary<string, string> { ["pipeline"] = "1" },
                Ports = [new PortMapping(8080, 20080), new PortMapping(9090)],
                Healthcheck = new HealthcheckSpec(["CMD", "curl", "-f", "http://127.0.0.1:8080/heartbeat"])
                {
                    Interval = TimeSpan.FromSeconds(2),
                },
                Network = "pipeline-net",
                NetworkAliases = ["hb"],
                RestartPolicy = "unless-stopped",
            }
        );
        create.Name.Should().Be("hb-1");
        create.Image.Should().Be("heartbeat:abc");
        create.Env.Should().Equal("HEARTBEAT_PORT=8080");
        create.Labels.Should().Contain("pipeline", "1");
        create.ExposedPorts!.Keys.Should().Equal("8080/tcp", "9090/tcp");
        var binding = create.HostConfig!.PortBindings!["8080/tcp"].Single();
        (binding.HostIP, binding.HostPort).Should().Be(("127.0.0.1", "20080"));
        create.HostConfig.PortBindings["9090/tcp"].Single().HostPort.Should().Be("", "port 0 lets the engine choose");
        create.HostConfig.NetworkMode.Should().Be("pipeline-net");
        create.HostConfig.RestartPolicy.Name.Should().Be(RestartPolicyKind.UnlessStopped);
        create.Healthcheck!.Interval.Should().Be(TimeSpan.FromSeconds(2));
        create.NetworkingConfig!.EndpointsConfig!["pipeline-net"].Aliases.Should().Equal("hb");
    }

    [Fact]
    public void A_container_without_restart_policy_or_network_leaves_both_to_the_engine()
    {
        var create = EngineParameters.Create(new ContainerSpec("app:1"));
        create.HostConfig!.RestartPolicy.Should().BeNull();
        create.HostConfig.NetworkMode.Should().BeEmpty();
        create.NetworkingConfig.Should().BeNull();
        create.Healthcheck.Should().BeNull();
    }

    [Fact]
    public void An_unknown_restart_policy_is_refused() =>
        FluentActions
            .Invoking(() => EngineParameters.RestartPolicyOf("sometimes"))
            .Should()
            .Throw<ArgumentException>()
            .WithMessage("*sometimes*");

    [Fact]
    public void Engine_errors_are_read_from_the_message_field()
    {
        DockerClient.ErrorText("{\"message\":\"No such image: x:1\"}\n").Should().Be("No such image: x:1");
        DockerClient.ErrorText("plain text").Should().Be("plain text");
        DockerClient.ErrorText("").Should().Be("(no message)");
    }
}
