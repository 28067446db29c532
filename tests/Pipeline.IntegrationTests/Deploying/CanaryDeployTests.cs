using FluentAssertions;
using Pipeline.Tools.Haproxy;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// The canary strategy as a user runs it (the build as a process) against the real Docker engine and HAProxy 2.6, whose request
/// log goes to the build's UDP listener, under a loopback load on the stand-in's <c>/cgi-bin/work</c>. Ports 25710–25729.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class CanaryDeployTests(DeployFixture fixture)
{
    private const int Block = 25710, Log = 25729;

    /// <summary>The analysis judges error rates here; its latency judge is measured by <c>Benchmark --scenario canary</c>. On
    /// the test machine, with the suite running beside it, two fresh containers of the same app differed ×2.08 in median
    /// latency (27 vs 13 ms, p=0.001) and a good release was aborted: so latency here fails only beyond ×5.</summary>
    private static string Policy(string steps) => $"""
              strategy: canary
              log: 127.0.0.1:{Log}
              warmup: 1s
              drain_timeout: 2s
              stop_timeout: 2s
              steps: {steps}
              analysis:
                quick: {"{"}min_samples: 60, max_wait: 60s, latency_tolerance: 5{"}"}
        """;

    [Fact]
    public async Task A_release_failing_20_percent_is_aborted_with_the_verdict_and_a_good_one_is_promoted_leaving_no_canary()
    {
        await using var env = new TestEnvironment(fixture, "test-canary", Block, 2,
            Policy("[{weight: 25%, analysis: quick}, {weight: 50%, analysis: quick}]"), logTarget: $"127.0.0.1:{Log}");
        await env.StartAsync();
        env.Publish(fixture.V1);
        (await env.RunAsync("Deploy")).ExitCode.Should().Be(0);

        CliWrap.Buffered.BufferedCommandResult bad, plan, good;
        await using (new LoadLoop(env.FrontendPort, clients: 4, path: "/cgi-bin/work"))
        {
            env.Publish(fixture.FailingV2);
            plan = await env.RunAsync("Plan");
            bad = await env.RunAsync("Deploy");
            env.Publish(fixture.V2);
            good = await env.RunAsync("Deploy");
        }

        TestEnvironment.Output(plan).Should().Contain("web: canary ").And.Contain("in steps 25% (analysis quick), 50% (analysis quick)");
        bad.ExitCode.Should().Be(1, TestEnvironment.Output(bad));
        // The canary lines alone, on one line, so that a failure's first line (all CI prints) shows the verdict. The baseline may
        // lose a request or two while HAProxy's weights move under load; the canary's 20% must still fail against it.
        var verdict = string.Join(" | ",
            TestEnvironment.Output(bad).Split('\n').Where(l => l.Contains("web: canary")).Select(l => l.Trim()));
        verdict.Should().MatchRegex(
            @"test-canary/web: canary \S+ aborted at step 1/2 \(25%\): canary error rate \d+\.\d+% vs baseline \d+\.\d+% "
            + @"\(\d+/\d+ vs \d+/\d+, Fisher\), p[<=]0\.0\d+: fail");
        good.ExitCode.Should().Be(0, TestEnvironment.Output(good));
        TestEnvironment.Output(good).Should().Contain("after the canary (step 1/2 (25%): canary error rate 0.0% vs baseline 0.0%");
        (await env.ImagesAsync()).Should().HaveCount(2).And.AllBe(fixture.V2);
        var servers = await env.Api.ServersAsync("web", CancellationToken.None);
        servers.Select(s => s.Name).Should().BeEquivalentTo("web-1", "web-2");
        (await HaproxyWeights.ReadAsync(env.Api, "web", CancellationToken.None)).Values.Should().AllBeEquivalentTo(1);
        File.ReadAllText(env.JournalPath).Should().Contain("\"step\":\"canary-verdict\"");
    }
}
