using FluentAssertions;
using Pipeline.Benchmarks;
using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.IntegrationTests.Dns;
using Xunit;
using Xunit.Abstractions;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// Blue/green by DNS against the real Docker engine and a real BIND 9 the test starts: blue publishes on 127.0.0.2, green on
/// 127.0.0.3 (port 25420-25421), web.bg.test follows the live colour. A loopback load resolves the name through BIND before
/// every request. Objects labelled pipeline.deploy=test-bluegreen.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class BlueGreenDnsTests(DeployFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Zone = "bg.test", Name = "web.bg.test", Environment = "test-bluegreen";
    private const int Port = 25420;
    private BindServer _bind = null!;
    private readonly string _directory = Directory.CreateTempSubdirectory("test-bluegreen-").FullName;

    public async Task InitializeAsync() => _bind = await BindServer.StartAsync(Zone);

    private TimedRecordSwitch Switch()
    {
        var provider = new Rfc2136ProviderDefinition("bind", _bind.Server, _bind.Key.Name, _bind.Key.Algorithm);
        var dns = new DnsDefinition(Zone, 5, Environment, provider, new Dictionary<string, DnsProviderDefinition> { ["bind"] = provider },
            [new DnsGroupRecords("web", "web", null, null, false)]);
        return new TimedRecordSwitch(new DnsRecordSwitch(dns, new Rfc2136Provider(Zone, provider, _bind.Key.Secret)));
    }

    private BlueGreenRollout Rollout(GroupDefinition group, IColourSwitch records) =>
        new(group, g => new DockerProvider(fixture.Docker, g), records, new DeployJournal(Path.Combine(_directory, "journal.jsonl")),
            new AbsolutePath(Path.Combine(_directory, "colours.json")), (_, _) => Task.CompletedTask);

    [Fact]
    public async Task A_switch_to_the_new_colour_and_a_rollback_lose_no_request_of_a_client_resolving_through_bind()
    {
        var group = DnsScenario.BlueGreenGroup(Environment, Port);
        var records = Switch();
        var first = await Rollout(group, records).DeployAsync(fixture.V1, new(), default);
        first.Succeeded.Should().BeTrue(first.Message);
        (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.2");
        (await _bind.DigAsync($"_pipeline.{Name}", "TXT")).Should().Equal($"\"heritage=pipeline,owner={Environment}\"");

        TimeSpan? toGreen, toBlue;
        await using (var load = new DnsLoad(_bind.Server, Name, Port))
        {
            (await load.WaitFirstAnswerAsync("v1", 0, TimeSpan.FromSeconds(10), default)).Should().NotBeNull();

            var second = await Rollout(group, records).DeployAsync(fixture.V2, new(), default);
            second.Should().Match<DeployOutcome>(o => o.Succeeded && o.Live == "green", second.Message);
            toGreen = await load.WaitFirstAnswerAsync("v2", records.LastStarted, TimeSpan.FromSeconds(10), default);
            output.WriteLine($"switch to green: served after {records.LastDuration.TotalMilliseconds:0} ms, first v2 answer after "
                + $"{toGreen?.TotalMilliseconds:0} ms");
            (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.3");

            var back = await Rollout(group, records).DeployAsync(fixture.V2, new(Rollback: true), default);
            back.Should().Match<DeployOutcome>(o => o.Succeeded && o.Live == "blue", back.Message);
            toBlue = await load.WaitFirstAnswerAsync("v1", records.LastStarted, TimeSpan.FromSeconds(10), default);
            output.WriteLine($"rollback to blue: served after {records.LastDuration.TotalMilliseconds:0} ms, first v1 answer after "
                + $"{toBlue?.TotalMilliseconds:0} ms");
            await Task.Delay(TimeSpan.FromSeconds(1));

            output.WriteLine($"load: {load.Succeeded} answered, {load.Failed} failed");
            load.Failed.Should().Be(0, string.Join("; ", load.Failures));
            load.Succeeded.Should().BeGreaterThan(50);
        }
        toGreen.Should().NotBeNull().And.BeLessThan(TimeSpan.FromSeconds(5));
        toBlue.Should().NotBeNull().And.BeLessThan(TimeSpan.FromSeconds(5));
        (await _bind.DigAsync(Name, "A")).Should().Equal("127.0.0.2");
        var running = await fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Environment}"], default);
        running.Select(c => c.Names![0].TrimStart('/')).Order(StringComparer.Ordinal).Should().Equal(
            "pipeline-test-bluegreen-web-blue-1", "pipeline-test-bluegreen-web-blue-2",
            "pipeline-test-bluegreen-web-green-1", "pipeline-test-bluegreen-web-green-2");
    }

    public async Task DisposeAsync()
    {
        foreach (var c in await fixture.Docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Environment}"], default))
            await fixture.Docker.RemoveContainerAsync(c.Id, default);
        await _bind.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
