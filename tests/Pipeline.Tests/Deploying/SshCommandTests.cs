using FluentAssertions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Ssh;
using Xunit;

namespace Pipeline.Tests.Deploying;

public class SshCommandTests
{
    private static readonly SshHost Host = new("10.0.0.5", "deploy", 2222, "/repo/environments/staging.known_hosts", "/keys/id", "/repo/.nuke/temp/ssh");

    [Fact]
    public void Host_keys_are_checked_strictly_against_the_pinned_file_only_and_connections_are_reused()
    {
        var args = Host.Arguments("docker ps");
        string.Join(' ', args).Should()
            .Contain("-o StrictHostKeyChecking=yes")
            .And.Contain("-o UserKnownHostsFile=/repo/environments/staging.known_hosts")
            .And.Contain("-o GlobalKnownHostsFile=/dev/null")
            .And.Contain("-o BatchMode=yes")
            .And.Contain("-o ControlMaster=auto -o ControlPath=/repo/.nuke/temp/ssh/%C -o ControlPersist=60s")
            .And.Contain("-p 2222 -i /keys/id -o IdentitiesOnly=yes -l deploy 10.0.0.5 -- docker ps")
            .And.NotContain("StrictHostKeyChecking=no").And.NotContain("accept-new");
    }

    [Fact]
    public void Instances_are_run_with_labels_ports_and_the_environment_over_stdin()
    {
        var group = GroupPlanTests.Group(2) with { Ports = new(8080, 8081, "0.0.0.0") };
        var instance = DesiredInstance.ForSlot(group with { SecretEnv = new Dictionary<string, string> { ["TOKEN"] = "s3cret" } }, "reg/heartbeat@sha256:ab", 2);

        var run = SshDockerCommands.Run(group, instance);

        run.Should().ContainInOrder("docker", "run", "-d", "--name", "pipeline-local-web-2");
        run.Should().Contain("pipeline.slot=2").And.Contain("0.0.0.0:8082:8080").And.Contain("--env-file").And.EndWith("reg/heartbeat@sha256:ab");
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
