using FluentAssertions;
using Pipeline.Benchmarks;
using Pipeline.Tools.Haproxy;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// <c>blue_green: haproxy</c> as a user runs it (the build as a process) against the real Docker engine and HAProxy 2.6, whose
/// frontend picks web_blue or web_green through a colour map: a switch to the new colour and a switch back (<c>Deploy --rollback</c>)
/// under a paced loopback load (hey, 100 requests/s through the frontend) lose no request. Ports 25730–25739 (frontend 25730,
/// runtime API 25731, blue 25732–25733, green 25734–25735; the test traffic test: 25740–25745).
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class BlueGreenHaproxyTests(DeployFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Block = 25730;
    private const string Policy = """
              warmup: 1s
              drain_timeout: 2s
              stop_timeout: 2s
        """;

    [Fact]
    public async Task A_switch_to_the_new_colour_and_a_switch_back_under_load_lose_no_request()
    {
        await using var env = new TestEnvironment(fixture, "test-bg-lb", Block, 2, Policy,
            blueGreen: "    blue_green: haproxy\n    keep: 10m");
        await env.StartAsync();
        env.Publish(fixture.V1);
        var first = await env.RunAsync("Deploy");
        TestEnvironment.Output(first).Should().Contain("live on blue");
        first.ExitCode.Should().Be(0, TestEnvironment.Output(first));
        (await VersionAsync()).Should().Be("v1");

        env.Publish(fixture.V2);
        TestEnvironment.Output(await env.RunAsync("Plan")).Should().Contain(
            "web: live blue; start green (web_green), check its health, then switch HAProxy's web frontend to it and keep blue for 10m");
        CliWrap.Buffered.BufferedCommandResult up = null!, back = null!;
        var between = "";
        var load = await new PacedLoad($"http://127.0.0.1:{Block}/heartbeat", 100).AroundAsync(async () =>
        {
            up = await env.RunAsync("Deploy");
            between = await VersionAsync();
            back = await env.RunAsync("Deploy", "--rollback");
        }, CancellationToken.None);

        output.WriteLine($"{load.Requests} requests at {load.Achieved:0} requests/s over {load.Wall.TotalSeconds:0.0}s of switching "
            + $"(plus 2s before and after), {load.Failed} failed ({load.Detail})");
        up.ExitCode.Should().Be(0, TestEnvironment.Output(up));
        TestEnvironment.Output(up).Should().Contain("live on green, blue kept until");
        between.Should().Be("v2");
        back.ExitCode.Should().Be(0, TestEnvironment.Output(back));
        TestEnvironment.Output(back).Should().Contain("rolled back, HAProxy's web frontend sends to web_blue again");
        (await VersionAsync()).Should().Be("v1");
        load.Failed.Should().Be(0, load.Detail);
        load.Requests.Should().BeGreaterThan(400, "hey kept up a load of 100 requests/s across both switches");
        (await HaproxyMaps.FindAsync(env.Api, "web", CancellationToken.None)).Should().ContainSingle().Which.Value.Should().Be("web_blue");
        (await env.Api.ServersAsync("web_green", CancellationToken.None)).Select(s => s.Name).Should()
            .BeEquivalentTo(["web-green-1", "web-green-2"], "the new colour is kept for keep");
        (await env.ImagesAsync()).Should().HaveCount(4);
        var audit = Directory.GetFiles(Path.Combine(env.Root, "artifacts", "deploy"), "*.audit.json").Order().Last();
        (await File.ReadAllTextAsync(audit)).Should().Contain("\"live\": \"blue\"");
    }

    [Fact]
    public async Task A_new_colour_failing_its_test_traffic_against_the_live_one_is_removed_and_the_traffic_never_moves()
    {
        await using var env = new TestEnvironment(fixture, "test-bg-lb-test", Block + 10, 2, Policy,
            blueGreen: "    blue_green: haproxy\n    test_traffic: {path: /cgi-bin/work, requests: 100}");
        await env.StartAsync();
        env.Publish(fixture.V1);
        (await env.RunAsync("Deploy")).ExitCode.Should().Be(0);

        env.Publish(fixture.FailingV2);
        var bad = await env.RunAsync("Deploy");

        bad.ExitCode.Should().Be(1, TestEnvironment.Output(bad));
        TestEnvironment.Output(bad).Should().MatchRegex(
            @"test traffic /cgi-bin/work, green \(canary\) vs blue \(baseline\): canary error rate \d+\.\d+% vs baseline 0\.0% "
            + @"\(\d+/100 vs 0/100, Fisher\), p[<=]0\.0\d+: fail; removed the 2 instance\(s\) started in green; live blue");
        (await HaproxyMaps.FindAsync(env.Api, "web", CancellationToken.None)).Single().Value.Should().Be("web_blue");
        (await env.Api.ServersAsync("web_green", CancellationToken.None)).Should().BeEmpty();
        (await env.ImagesAsync()).Should().Equal(fixture.V1, fixture.V1);
    }

    private static async Task<string> VersionAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{Block}/heartbeat"));
        return json.RootElement.GetProperty("version").GetString()!;
    }
}
