using FluentAssertions;
using Pipeline.Tools.Docker;
using System.Formats.Tar;
using System.Text;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.Docker;

[Collection(DockerCollection.Name)]
public sealed class DockerClientTests(DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private DockerClient Client => docker.Client;
    private static Dictionary<string, string> Labels => new() { [DockerFixture.Label] = DockerFixture.RunId };

    [Fact]
    public async Task Ping_and_version_negotiate_the_engine_api()
    {
        (await Client.PingAsync(Ct)).Should().BeTrue();
        var version = await Client.VersionAsync(Ct);
        version.ApiVersion.Should().NotBeNullOrEmpty();
        (await Client.ApiVersionAsync(Ct)).Should().Be(DockerClient.Negotiate(version.ApiVersion));
    }

    [Fact]
    public async Task Ping_answers_false_when_no_engine_listens_on_the_socket()
    {
        using var client = new DockerClient(DockerEndpoint.Parse($"unix:///tmp/{DockerFixture.Prefix}absent-{Guid.NewGuid():N}.sock"));
        (await client.PingAsync(Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task An_imported_root_file_system_is_an_image_with_the_given_labels()
    {
        var image = await Client.InspectImageAsync(docker.Busybox, Ct);
        image.Should().NotBeNull();
        image!.Labels.Should().Contain(DockerFixture.Label, DockerFixture.RunId);
        (await Client.ListImagesAsync([DockerFixture.LabelFilter], [docker.Busybox.Split(':')[0]], Ct))
            .Should()
            .Contain(i => i.Id == image.Id);
        (await Client.InspectImageAsync($"{DockerFixture.Prefix}no-such-image:1", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Build_streams_steps_and_tags_the_image_and_a_failing_step_names_its_output()
    {
        var tag = $"{DockerFixture.Prefix}built:{Guid.NewGuid():N}";
        var events = new List<BuildEvent>();
        using (
            var context = Context($"FROM {docker.Busybox}\nRUN echo baked > /baked\nLABEL {DockerFixture.Label}={DockerFixture.RunId}\n")
        )
        {
            var id = await Client.BuildImageAsync(context, new BuildOptions { Tags = [tag] }, events.Add, Ct);
            (await Client.InspectImageAsync(tag, Ct))!.Id.Should().Be(id);
        }
        events.OfType<BuildEvent.Step>().Select(s => s.Number).Should().Equal(1, 2, 3);

        using var failing = Context($"FROM {docker.Busybox}\nRUN echo about to fail && false\n");
        var act = () => Client.BuildImageAsync(failing, new BuildOptions { Labels = Labels }, null, Ct);
        var failure = (await act.Should().ThrowAsync<DockerBuildException>()).Which;
        failure.Step!.Number.Should().Be(2);
        failure.LastLines.Should().Contain("about to fail");
        failure.Message.Should().Contain("step 2/").And.Contain("returned a non-zero code: 1");
    }

    [Fact]
    public async Task A_container_runs_waits_and_its_logs_are_split_into_stdout_and_stderr()
    {
        var id = await Client.RunContainerAsync(new ContainerSpec(docker.Busybox)
        {
            Name = $"{DockerFixture.Prefix}logs-{Guid.NewGuid():N}"[..50],
            Cmd = ["sh", "-c", "echo to-out; echo to-err >&2; echo $GREETING; exit 3"],
            Env = new Dictionary<string, string> { ["GREETING"] = "hello" },
            Labels = Labels,
        }, Ct);
        try
        {
            (await Client.WaitContainerAsync(id, Ct)).Should().Be(3);
            var logs = await Client.ContainerLogsAsync(id, null, Ct);
            logs.StandardOutput.Should().Be("to-out\nhello\n");
            logs.StandardError.Should().Be("to-err\n");
            (await Client.InspectContainerAsync(id, Ct))!.State.ExitCode.Should().Be(3);
        }
        finally { await Client.RemoveContainerAsync(id, Ct); }
        (await Client.InspectContainerAsync(id, Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Exec_runs_in_a_running_container_and_stop_ends_it()
    {
        var id = await Client.RunContainerAsync(new ContainerSpec(docker.Busybox)
        {
            Cmd = ["sleep", "300"],
            Labels = Labels,
            Ports = [new PortMapping(8080)],
        }, Ct);
        try
        {
            var result = await Client.ExecAsync(id, ["sh", "-c", "cat /etc/passwd | head -c 4; echo oops >&2; exit 5"], Ct);
            result.ExitCode.Should().Be(5);
            result.StandardOutput.Should().Be("root");
            result.StandardError.Should().Be("oops\n");
            var inspect = await Client.InspectContainerAsync(id, Ct);
            inspect!.State.Running.Should().BeTrue();
            inspect.HostPort("8080").Should().BeGreaterThan(0);
            await Client.StopContainerAsync(id, TimeSpan.FromSeconds(1), Ct);
            (await Client.InspectContainerAsync(id, Ct))!.State.Running.Should().BeFalse();
        }
        finally { await Client.RemoveContainerAsync(id, Ct); }
    }

    [Fact]
    public async Task Networks_and_volumes_are_listed_and_removed_by_label()
    {
        var name = $"{DockerFixture.Prefix}net-{Guid.NewGuid():N}"[..40];
        var id = await Client.CreateNetworkAsync(
            name,
            new Dictionary<string, string> { [DockerFixture.Label] = DockerFixture.RunId, ["test"] = name },
            Ct
        );
        (await Client.ListNetworksAsync([$"test={name}"], Ct)).Should().ContainSingle(n => n.Id == id);
        (await Client.RemoveNetworkAsync(id, Ct)).Should().BeTrue();
        (await Client.RemoveNetworkAsync(id, Ct)).Should().BeFalse();
        (await Client.ListVolumesAsync([$"test={name}"], Ct)).Should().BeEmpty();
    }

    private static MemoryStream Context(string dockerfile)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(
                new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)),
                }
            );
        stream.Position = 0;
        return stream;
    }
}
