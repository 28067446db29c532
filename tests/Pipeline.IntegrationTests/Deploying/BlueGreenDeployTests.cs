using CliWrap;
using FluentAssertions;
using Pipeline.Deploying.Providers;
using Pipeline.IntegrationTests.Dns;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// Plan, Deploy and Deploy --rollback of a blue_green: dns group as a user runs them (the build as a process, the environment
/// file read from a throw-away root), against the real Docker engine and a BIND 9 the test starts. Port 25424 on 127.0.0.2
/// (blue) and 127.0.0.3 (green); objects labelled pipeline.deploy=test-bg-cli. The last part plays a second machine, without
/// the first one's colour state: it reads the live colour from the zone.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class BlueGreenDeployTests(DeployFixture fixture) : IAsyncLifetime
{
    private const string Zone = "bgcli.test", Environment = "test-bg-cli";
    private readonly string _root = Directory.CreateTempSubdirectory("test-bg-cli-").FullName;
    private BindServer _bind = null!;

    public async Task InitializeAsync()
    {
        _bind = await BindServer.StartAsync(Zone);
        Directory.CreateDirectory(Path.Combine(_root, "environments"));
        Directory.CreateDirectory(Path.Combine(_root, ".nuke", "temp"));
        await File.WriteAllTextAsync(Path.Combine(_root, "environments", $"{Environment}.yml"), $$"""
            lock:
              ttl: 30s
              directory: .nuke/temp/locks
            groups:
              web:
                provider: docker
                image: heartbeat
                count: 1
                ports: {container: 8080, host_base: 25424}
                health: {path: /heartbeat, interval: 200ms, timeout: 1s, start_timeout: 20s}
                blue_green: dns
                keep: 10m
                colours:
                  blue: {address: 127.0.0.2}
                  green: {address: 127.0.0.3}
            {{_bind.DnsSection(Zone, 5, "web: {}")}}
            """);
    }

    private void Publish(string imageId)
    {
        Directory.CreateDirectory(Path.Combine(_root, "artifacts"));
        File.WriteAllText(Path.Combine(_root, "artifacts", "images.json"),
            $$"""{"images":[{"name":"heartbeat","id":"{{imageId}}","inputHash":"{{imageId[7..]}}","tags":[]}]}""");
    }

    private async Task<string> RunAsync(int exitCode, params string[] arguments)
    {
        var result = await TestEnvironment.BuildIn(_root, Environment, [.. arguments, "--dns-tsig-secret", _bind.Key.Secret])
            .RunBufferedAsync();
        var text = result.StandardOutput + result.StandardError;
        result.ExitCode.Should().Be(exitCode, text);
        text.Should().NotContain(_bind.Key.Secret);
        return text;
    }

    [Fact]
    public async Task Plan_shows_the_colours_Deploy_switches_the_name_to_each_new_colour_and_rollback_switches_it_back()
    {
        Publish(fixture.V1);
        (await RunAsync(3, "Plan", "--detailed-exitcode")).Should()
            .Contain("web: no colour live; start blue (127.0.0.2), check its health, then switch the dns: records to it")
            .And.Contain("+ web-blue-1");
        (await RunAsync(0, "Deploy")).Should().Contain("+ A web.bgcli.test 127.0.0.2").And.Contain("live on blue");
        (await _bind.DigAsync("web.bgcli.test", "A")).Should().Equal("127.0.0.2");

        Publish(fixture.V2);
        (await RunAsync(0, "Deploy")).Should().Contain("~ A web.bgcli.test 127.0.0.2 → 127.0.0.3")
            .And.Contain("live on green, blue kept until");
        (await _bind.DigAsync("web.bgcli.test", "A")).Should().Equal("127.0.0.3");
        (await RunAsync(0, "Plan", "--detailed-exitcode")).Should().Contain("web: live green; blue kept for rollback until");
        var audit = Directory.GetFiles(Path.Combine(_root, "artifacts", "deploy"), "*.audit.json").Order().Last();
        (await File.ReadAllTextAsync(audit)).Should().Contain("\"live\": \"green\"");

        (await RunAsync(0, "Deploy", "--rollback")).Should().Contain("rolled back, the dns: records point at blue again");
        (await _bind.DigAsync("web.bgcli.test", "A")).Should().Equal("127.0.0.2");
        var running = await fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Environment}"], default);
        running.Should().HaveCount(2, "the old colour keeps running");

        var state = Directory.GetFiles(_root, "web.colours.json", SearchOption.AllDirectories).Should().ContainSingle().Subject;
        File.Delete(state);
        (await RunAsync(0, "Dns")).Should().Contain("DNS bgcli.test: no changes", "a machine without the state file reads the zone");
        (await RunAsync(0, "Deploy")).Should().Contain("the dns: records point at blue").And.Contain("following the records")
            .And.Contain("~ A web.bgcli.test 127.0.0.2 → 127.0.0.3").And.Contain("live on green");
    }

    public async Task DisposeAsync()
    {
        foreach (var c in await fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Environment}"], default))
            await fixture.Docker.RemoveContainerAsync(c.Id, default);
        await _bind.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
