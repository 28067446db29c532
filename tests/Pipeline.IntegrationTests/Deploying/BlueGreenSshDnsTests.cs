using CliWrap;
using FluentAssertions;
using Pipeline.Deploying.Providers;
using Pipeline.IntegrationTests.Dns;
using Pipeline.Publishing;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// Deploy and Deploy --rollback of an ssh group with <c>blue_green: dns</c>, as a user runs them (the build as a process), through a
/// real sshd on 127.0.0.1:25445 (its host runs this machine's Docker) and a BIND 9 the test starts. Instances on ports 25446–25447
/// of 127.0.0.2 (blue) and 127.0.0.3 (green); objects labelled pipeline.deploy=test-bg-ssh. The second half plays fresh CI
/// runners: before each run the whole <c>.nuke/temp</c> is deleted, so the live colour is read from the zone.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class BlueGreenSshDnsTests(DeployFixture fixture) : IAsyncLifetime
{
    private const string Zone = "bgssh.test", Environment = "test-bg-ssh", Name = "web.bgssh.test";
    private const int SshPort = 25445;
    private readonly string _root = Directory.CreateTempSubdirectory("test-bg-ssh-").FullName;
    private BindServer _bind = null!;
    private SshdHost _sshd = null!;

    public async Task InitializeAsync()
    {
        _bind = await BindServer.StartAsync(Zone);
        _sshd = await SshdHost.StartAsync(SshPort);
        Directory.CreateDirectory(Path.Combine(_root, "environments"));
        await File.WriteAllTextAsync(Path.Combine(_root, "environments", $"{Environment}.yml"), $$"""
            lock:
              ttl: 30s
              directory: {{_root}}/host-locks
            groups:
              web:
                provider: ssh
                ssh: {{_sshd.GroupSsh()}}
                image: heartbeat
                count: 2
                ports: {container: 8080, host_base: 25446}
                health: {path: /heartbeat, interval: 200ms, timeout: 1s, start_timeout: 20s}
                rolling: {stop_timeout: 2s}
                blue_green: dns
                keep: 10m
                colours:
                  blue: {address: 127.0.0.2}
                  green: {address: 127.0.0.3}
            {{_bind.DnsSection(Zone, 5, "web: {}")}}
            """);
    }

    /// <summary>What Publish leaves for an ssh group: the image by reference (here the id that this machine's engine, the host's,
    /// has).</summary>
    private Task PublishAsync(string imageId) =>
        new PublishedManifest(Environment, [new PublishedImage("heartbeat", imageId[7..19], null, null, imageId, [], imageId)])
            .WriteAsync(Path.Combine(_root, "artifacts", "published.json"), CancellationToken.None);

    private async Task<string> RunAsync(params string[] arguments)
    {
        var result = await TestEnvironment.BuildIn(_root, Environment, [.. arguments, "--dns-tsig-secret", _bind.Key.Secret])
            .RunBufferedAsync();
        var text = result.StandardOutput + result.StandardError;
        result.ExitCode.Should().Be(0, text);
        text.Should().NotContain(_bind.Key.Secret);
        return text;
    }

    /// <summary>A fresh runner: no colour state, no journal, nothing of an earlier run in .nuke/temp.</summary>
    private void FreshRunner()
    {
        if (Directory.Exists(Path.Combine(_root, ".nuke", "temp"))) Directory.Delete(Path.Combine(_root, ".nuke", "temp"), recursive: true);
    }

    /// <summary>The group's containers by colour: id → (image, running).</summary>
    private async Task<IReadOnlyDictionary<string, (string Image, bool Running)>> ColourAsync(string colour) =>
        (await fixture.Docker.ListContainersAsync(
            [$"{DockerProvider.EnvironmentLabel}={Environment}", $"pipeline.colour={colour}"], default))
            .ToDictionary(c => c.Id, c => (c.Labels!["pipeline.image"], c.State == "running"));

    [Fact]
    public async Task Deploy_switches_the_records_between_the_colours_on_the_ssh_host_and_a_fresh_runner_follows_the_zone()
    {
        await PublishAsync(fixture.V1);
        (await RunAsync("Deploy")).Should().Contain($"+ A {Name} 127.0.0.2").And.Contain("2 × ").And.Contain("live on blue");
        (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.2");

        await PublishAsync(fixture.V2);
        (await RunAsync("Deploy")).Should().Contain($"~ A {Name} 127.0.0.2 → 127.0.0.3").And.Contain("live on green, blue kept until");
        (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.3");
        (await ColourAsync("blue")).Values.Should().HaveCount(2).And.OnlyContain(c => c.Image == fixture.V1 && c.Running, "blue is kept");

        (await RunAsync("Deploy", "--rollback")).Should().Contain("rolled back, the dns: records point at blue again");
        (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.2");

        FreshRunner();
        (await RunAsync("Deploy", "--rollback")).Should().Contain("following the records")
            .And.Contain("green (2 of 2 running ").And.Contain("is kept for 10m from now")
            .And.Contain("rollback: switch the dns: records blue → green (2 of 2 running ")
            .And.Contain("rolled back, the dns: records point at green again");
        (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.3");

        FreshRunner();
        var live = await ColourAsync("green");
        await PublishAsync(fixture.FailingV2);
        (await RunAsync("Deploy")).Should().Contain("the dns: records point at green").And.Contain("following the records")
            .And.Contain($"~ A {Name} 127.0.0.3 → 127.0.0.2").And.Contain("live on blue, green kept until");
        (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.2");
        (await ColourAsync("green")).Should().Equal(live, "the live colour is never stopped or replaced");
        (await ColourAsync("blue")).Values.Should().HaveCount(2).And.OnlyContain(c => c.Image == fixture.FailingV2 && c.Running);

        FreshRunner();
        (await RunAsync("Deploy", "--rollback")).Should().Contain("rolled back, the dns: records point at green again");
        (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.3");
    }

    public async Task DisposeAsync()
    {
        foreach (var c in await fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Environment}"], default))
            await fixture.Docker.RemoveContainerAsync(c.Id, default);
        await _sshd.DisposeAsync();
        await _bind.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
