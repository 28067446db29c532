using Pipeline.Deploying;
using Pipeline.Deploying.Canary;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Haproxy;
using System.Globalization;

namespace Pipeline.Benchmarks;

/// <summary>
/// Canary deploys of two stand-in instances behind HAProxy under a bounded loopback load on <c>/cgi-bin/work</c> (a fixed
/// <see cref="CanaryLoad.RequestsPerSecond"/>, 127.0.0.1 only): a release failing 5% of requests, one 40% slower, and good ones,
/// judged at one 25% step against a fresh baseline; the failing release is also rolled without a canary, for the share of requests
/// each way loses. The stand-in's work is a sleep of <see cref="WorkMs"/> (the slow release's 40% more): long beside the fork,
/// the proxies and the scheduling on a shared 2-core machine (tens of ms idle, several hundred under other builds), so a 40% slower
/// release is about 40% slower end to end, as it would be in production, instead of diluted below the judge's tolerance.
/// Ports 25760–25769.
/// </summary>
public sealed class CanaryScenario : IBenchmarkScenario
{
    private const int Frontend = 25760, Runtime = 25761, LogPort = 25762, FirstInstance = 25763, GoodRepeats = 10;
    public const int WorkMs = 2000, SlowWorkMs = WorkMs * 14 / 10;
    private const string Environment = "bench-canary";
    public string Name => "canary";
    public bool UsesDocker => true;

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        using var docker = new DockerClient();
        var directory = context.Build.TemporaryDirectory / "bench-canary";
        var services = new LocalServiceManager(directory / "services");
        var haproxy = HaproxyService.Spec(new(directory / "haproxy", Frontend, Runtime, ["web"]) { LogTarget = $"127.0.0.1:{LogPort}" });
        var tag = System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        async Task<string> Image(string name, int fail, int delay) =>
            await HeartbeatStandIn.BuildAsync(docker, "pipeline-bench-canary/heartbeat", $"{name}-{tag}", name, true, ct, fail, delay);
        var v1 = await Image("v1", 0, WorkMs);
        var v2 = await Image("v2", 0, WorkMs);
        var failing = await Image("failing", 5, WorkMs);
        var slow = await Image("slow", 0, SlowWorkMs);
        try
        {
            await services.StartAsync(haproxy, ct);
            var group = CanaryGroup.Make(Environment, FirstInstance, $"127.0.0.1:{Runtime}", $"127.0.0.1:{LogPort}");
            var api = new HaproxyRuntimeApi($"127.0.0.1:{Runtime}");
            var lb = new HaproxyLoadBalancer(api, "web", group.Health.Path, group.Health.Interval);
            var journal = new DeployJournal(directory / "journal.jsonl");
            var provider = new DockerProvider(docker, group);
            var rolling = new RollingRollout(group, provider, lb, journal, (_, _) => Task.CompletedTask);
            var gate = new HealthGate(new HttpHealthProbe(), group.Health, TimeSpan.Zero);
            CanaryFleet Fleet(string role)
            {
                var view = group.Canary!.View(group, role);
                return new(view, new DockerProvider(docker, view), lb, api, "web", gate, journal);
            }
            var canary = new CanaryRollout(group, Fleet("canary"), Fleet("baseline"), provider, api, journal, rolling);

            await rolling.DeployAsync(v1, new RolloutOptions(), ct);
            var rows = new List<CanaryRun>();
            async Task<CanaryRun> Measure(string what, IGroupRollout way, string image, string back)
            {
                Log.Information($"canary: {what}…");
                var run = await CanaryLoad.DuringAsync(Frontend, () => way.DeployAsync(image, new RolloutOptions(), ct), ct);
                rows.Add(run with { What = what });
                if (run.Outcome.Succeeded && image != back) await rolling.DeployAsync(back, new RolloutOptions(), ct);
                return run;
            }
            await Measure("release failing 5%, canary", canary, failing, v1);
            await Measure("release failing 5%, rolling (no canary)", rolling, failing, v1);
            await Measure("release 40% slower, canary", canary, slow, v1);
            var current = v1;
            var falseAborts = 0;
            for (var i = 0; i < GoodRepeats; i++)
            {
                var next = current == v1 ? v2 : v1;
                var run = await Measure($"good release, canary #{i + 1}", canary, next, next);
                if (run.Outcome.Succeeded) current = next;
                else falseAborts++;
            }
            return CanaryReport.Render(rows, falseAborts, GoodRepeats);
        }
        finally
        {
            var label = $"{DockerProvider.EnvironmentLabel}={Environment}";
            foreach (var c in await docker.ListContainersAsync([label], CancellationToken.None))
                await docker.RemoveContainerAsync(c.Id, CancellationToken.None);
            await services.StopAllAsync(CancellationToken.None);
            foreach (var image in new[] { v1, v2, failing, slow }) await docker.RemoveImageAsync(image, true, CancellationToken.None);
        }
    }
}
