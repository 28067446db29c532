using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Haproxy;
using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Benchmarks;

/// <summary>The deploy curve: the deploy benchmark's group (batch 2, drain, health gate, 1 s bake) at 6, 12 and 24
/// instances, v1 → v2 timed; the law is one batch's time for each of ⌈N/2⌉ batches. Ports 25600–25630.</summary>
public sealed partial class ScaleScenario
{
    private const int DeployFrontend = 25600, DeployRuntime = 25601, DeployFirstInstance = 25602;
    private const string DeployEnvironment = "bench-scale";

    private static async Task<GrowthLaw> DeployCurveAsync(BenchmarkContext context, AbsolutePath directory, CancellationToken ct)
    {
        using var docker = new DockerClient();
        var services = new LocalServiceManager(directory / "services");
        var haproxy = new HaproxyService.Options(directory / "haproxy", DeployFrontend, DeployRuntime, ["web"]);
        var tag = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var v1 = await HeartbeatStandIn.BuildAsync(docker, "pipeline-bench-scale/heartbeat", $"v1-{tag}", "v1", true, ct);
        var v2 = await HeartbeatStandIn.BuildAsync(docker, "pipeline-bench-scale/heartbeat", $"v2-{tag}", "v2", true, ct);
        var points = new List<(double, double)>();
        try
        {
            await services.StartAsync(HaproxyService.Spec(haproxy), ct);
            foreach (var count in new[] { 6, 12, 24 })
            {
                var group = DeployScenario.Group() with
                {
                    Environment = DeployEnvironment,
                    Count = count,
                    Ports = new PortsDefinition(8080, DeployFirstInstance),
                };
                var lb = new HaproxyLoadBalancer(new HaproxyRuntimeApi($"127.0.0.1:{DeployRuntime}"), "web", group.Health.Path,
                    group.Health.Interval);
                var journal = new DeployJournal(directory / $"journal-{count}.jsonl");
                RollingEngine Engine() => new(group, new DockerProvider(docker, group), lb, new HttpHealthProbe(), journal);
                Log.Information($"scale: {count} instances on v1 (not measured)…");
                await RunAsync(Engine(), v1, ct);
                Log.Information($"scale: rolling {count} instances v1 → v2, batch 2…");
                var watch = Stopwatch.StartNew();
                await RunAsync(Engine(), v2, ct);
                points.Add((Math.Ceiling(count / 2.0), watch.Elapsed.TotalMilliseconds));
            }
        }
        finally
        {
            foreach (var c in await docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={DeployEnvironment}"],
                         CancellationToken.None))
                await docker.RemoveContainerAsync(c.Id, CancellationToken.None);
            await services.StopAllAsync(CancellationToken.None);
            await docker.RemoveImageAsync(v1, true, CancellationToken.None);
            await docker.RemoveImageAsync(v2, true, CancellationToken.None);
        }
        return new GrowthLaw("Rolling deploy of 6, 12 and 24 instances at batch 2", "batches (⌈N/2⌉)",
            "the wall time is one batch's time (drain, replace, health gate, bake) for each of ⌈N/batch⌉ batches, plus a constant",
            points);
    }

    private static async Task RunAsync(RollingEngine engine, string image, CancellationToken ct)
    {
        var outcome = await engine.RunAsync(image, new RolloutOptions(), ct);
        if (!outcome.Succeeded) throw new PipelineException($"scale: the deploy failed: {outcome.Message}");
    }
}
