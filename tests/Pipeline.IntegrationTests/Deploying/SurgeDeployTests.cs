using FluentAssertions;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// Surge mode as a user runs it (the build as a process) against the real Docker engine and a real HAProxy 2.6, under
/// a loopback load, with HAProxy's <c>show stat</c> sampled throughout. Ports 25270–25279.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class SurgeDeployTests(DeployFixture fixture)
{
    private const string Policy = """
              batch: 2
              max_surge: 2
              warmup: 1s
              bake: 1s
              drain_timeout: 5s
              stop_timeout: 5s
              on_failure: rollback
        """;

    [Fact]
    public async Task A_surge_rollout_and_a_surge_rollback_fail_no_request_and_never_serve_fewer_than_count_instances()
    {
        await using var env = new TestEnvironment(fixture, "test-deploy-surge", 25270, 4, Policy);
        await env.StartAsync();
        env.Publish(fixture.V1);
        var first = await env.RunAsync("Deploy");
        first.ExitCode.Should().Be(0, TestEnvironment.Output(first));

        env.Publish(fixture.V2);
        var plan = await env.RunAsync("Plan");
        TestEnvironment.Output(plan).Should().Contain("+ web-5").And.Contain("(surge, replaces web-1)").And.Contain("- web-1");
        var (rollout, rolloutStats) = await UnderLoadAsync(env, "Deploy");
        rollout.ExitCode.Should().Be(0, TestEnvironment.Output(rollout));
        rolloutStats.Failed.Should().Be(0, string.Join("; ", rolloutStats.Failures));
        rolloutStats.FewestServing.Should().BeGreaterThanOrEqualTo(4);
        rolloutStats.MostServing.Should().BeGreaterThan(4, "new instances served beside the old ones");
        (await env.ImagesAsync()).Should().HaveCount(4).And.AllBe(fixture.V2);

        env.Publish(fixture.BadV2);
        var (rollback, rollbackStats) = await UnderLoadAsync(env, "Deploy");
        rollback.ExitCode.Should().Be(1, TestEnvironment.Output(rollback));
        TestEnvironment.Output(rollback).Should().Contain("the old instances kept serving");
        rollbackStats.Failed.Should().Be(0, string.Join("; ", rollbackStats.Failures));
        rollbackStats.FewestServing.Should().BeGreaterThanOrEqualTo(4);
        (await env.ImagesAsync()).Should().HaveCount(4).And.AllBe(fixture.V2);
        (await env.Api.ServersAsync("web", CancellationToken.None)).Should().HaveCount(4).And.OnlyContain(s => s.IsServing);
    }

    private sealed record LoadStats(int Failed, List<string> Failures, int FewestServing, int MostServing);

    /// <summary>Runs the build while a load loop goes through HAProxy and <c>show stat</c> is sampled every 50 ms.</summary>
    private static async Task<(CliWrap.Buffered.BufferedCommandResult, LoadStats)> UnderLoadAsync(TestEnvironment env, string target)
    {
        int fewest = int.MaxValue, most = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var serving = (await env.Api.ServersAsync("web", CancellationToken.None)).Count(s => s.IsServing);
                (fewest, most) = (Math.Min(fewest, serving), Math.Max(most, serving));
                await Task.Delay(50);
            }
        });
        CliWrap.Buffered.BufferedCommandResult result;
        LoadStats stats;
        await using (var load = new LoadLoop(env.FrontendPort))
        {
            result = await env.RunAsync(target);
            await Task.Delay(300);
            await stop.CancelAsync();
            await sampler;
            stats = new LoadStats(load.Failed, load.Failures, fewest, most);
        }
        return (result, stats);
    }
}
