using CliWrap;
using Pipeline.Deploying;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Providers;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Haproxy;
using Pipeline.Tools.Process;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Benchmarks;

/// <summary>
/// Six instances behind HAProxy rolled from v1 to v2 in batches of two while wrk sends a bounded loopback load
/// through HAProxy (127.0.0.1 only); then the same change done naively (stop all, start all), same run, same load.
/// Reports failed requests and the wall time of each way. Ports 25480–25499; objects labelled pipeline.deploy=bench-deploy.
/// </summary>
public sealed partial class DeployScenario : IBenchmarkScenario
{
    private const int Frontend = 25480, Runtime = 25481, FirstInstance = 25482;
    private const string Environment = "bench-deploy";
    public string Name => "deploy";
    public bool UsesDocker => true;

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        using var docker = new DockerClient();
        var directory = context.Build.TemporaryDirectory / "bench-deploy";
        var services = new LocalServiceManager(directory / "services");
        var haproxyOptions = new HaproxyService.Options(directory / "haproxy", Frontend, Runtime, ["web"]);
        var haproxy = HaproxyService.Spec(haproxyOptions);
        var group = Group();
        var tag = System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var v1 = await HeartbeatStandIn.BuildAsync(docker, "pipeline-bench-deploy/heartbeat", $"v1-{tag}", "v1", true, ct);
        var v2 = await HeartbeatStandIn.BuildAsync(docker, "pipeline-bench-deploy/heartbeat", $"v2-{tag}", "v2", true, ct);
        try
        {
            await services.StartAsync(haproxy, ct);
            var provider = new DockerProvider(docker, group);
            var lb = new HaproxyLoadBalancer(
                new HaproxyRuntimeApi($"127.0.0.1:{Runtime}"),
                "web",
                group.Health.Path,
                group.Health.Interval
            );
            var journal = new DeployJournal(directory / "journal.jsonl");
            RollingEngine Engine() => new(group, provider, lb, new HttpHealthProbe(), journal);

            await Engine().RunAsync(v1, new RolloutOptions(), ct);
            Log.Information("deploy: rolling v1 → v2 under load…");
            var rolling = await UnderLoadAsync(TimeSpan.FromSeconds(25), async () =>
            {
                var outcome = await Engine().RunAsync(v2, new RolloutOptions(), ct);
                if (!outcome.Succeeded) throw new PipelineException(outcome.Message);
            }, ct);

            Log.Information("deploy: naive stop-all/start-all v2 → v1 under load…");
            var naive = await UnderLoadAsync(TimeSpan.FromSeconds(15), () => NaiveAsync(group, provider, v1, ct), ct);
            var ansible = await BesideAnsibleAsync(context, group, (v1, v2), haproxyOptions.Socket, directory / "ansible", ct);
            return Render(rolling, naive) + RenderBesideAnsible(ansible);
        }
        finally
        {
            foreach (
                var c in await docker.ListContainersAsync([$"{DockerProvider.EnvironmentLabel}={Environment}"], CancellationToken.None)
            )
                await docker.RemoveContainerAsync(c.Id, CancellationToken.None);
            await services.StopAllAsync(CancellationToken.None);
            await docker.RemoveImageAsync(v1, true, CancellationToken.None);
            await docker.RemoveImageAsync(v2, true, CancellationToken.None);
        }
    }

    /// <summary>The naive way: stop every instance at once, start every new one, wait until all answer.</summary>
    private static async Task NaiveAsync(GroupDefinition group, IInstanceProvider provider, string image, CancellationToken ct)
    {
        var old = await provider.ListAsync(ct);
        await Task.WhenAll(old.Select(o => provider.StopAsync(o, TimeSpan.FromSeconds(5), ct)));
        var started = await Task.WhenAll(DesiredInstance.For(group, image).Select(d => provider.StartAsync(d, ct)));
        var gate = new HealthGate(new HttpHealthProbe(), group.Health, TimeSpan.Zero);
        await Task.WhenAll(started.Select(s => gate.WaitHealthyAsync(s.Address, ct)));
    }

    private sealed record Run(TimeSpan Wall, long Requests, long Failed, string Detail);

    /// <summary>Starts wrk (2 threads, 8 connections, fixed duration) against the frontend, runs the change 2 s in, waits for
    /// wrk.</summary>
    private static async Task<Run> UnderLoadAsync(TimeSpan load, Func<Task> change, CancellationToken ct)
    {
        var wrk = Cli.Wrap("wrk")
            .WithArguments(["-t2", "-c8", $"-d{(int)load.TotalSeconds}s", "--timeout", "5s", $"http://127.0.0.1:{Frontend}/heartbeat"])
            .WithValidation(CommandResultValidation.None)
            .RunBufferedAsync(ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var watch = Stopwatch.StartNew();
        await change();
        var wall = watch.Elapsed;
        var result = await wrk;
        if (wall + TimeSpan.FromSeconds(2) > load) Log.Warning($"deploy: the change ({wall.TotalSeconds:0.0}s) outlasted the load window");
        var output = result.StandardOutput;
        long Number(Regex r) =>
            r.Match(output) is { Success: true } m
                ? m.Groups.Cast<Group>().Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
                : 0;
        var requests = Number(RequestsLine());
        var failed = Number(Non2xx()) + Number(SocketErrors());
        var detail = string.Join(
            "; ",
            output
                .Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("Non-2xx", StringComparison.Ordinal) || l.StartsWith("Socket errors", StringComparison.Ordinal))
        );
        return new Run(wall, requests, failed, detail.Length == 0 ? "none" : detail);
    }

    private static string Render(Run rolling, Run naive)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Deploy: 6 instances, v1 → v2, under load through HAProxy").AppendLine();
        sb.AppendLine(
                "wrk (2 threads, 8 connections, loopback only) sends `GET /heartbeat` through HAProxy 2.6 at 127.0.0.1 while the change "
                + "runs. "
                    + "Pipeline's rolling deploy drains each batch of 2 in HAProxy (runtime API), stops it, starts v2, waits for 2 passed "
                        + "health checks, sets it ready and bakes 1 s. "
                    + "The naive way stops all six containers and starts all six new ones (HAProxy only sees them through its own health "
                        + "checks)."
            )
            .AppendLine();
        sb.AppendLine("| way | wall time of the change | requests during the load | failed requests | wrk's errors |");
        sb.AppendLine("| --- | ---: | ---: | ---: | --- |");
        foreach (
            var (name, run) in new[]
            {
                ("Pipeline rolling deploy (batches of 2, drain, health gate)", rolling),
                ("naive: stop all, start all", naive),
            }
        )
            sb.AppendLine(
                CultureInfo.InvariantCulture,
                $"| {name} | {run.Wall.TotalSeconds:0.0} s | {run.Requests} | **{run.Failed}** | {run.Detail} |"
            );
        sb.AppendLine();
        sb.AppendLine(
            rolling.Failed == 0
                ? "**Goal met**: 0 failed requests during the rolling deploy."
                : "**Goal NOT met**: requests failed during the rolling deploy."
        );
        sb.AppendLine();
        sb.AppendLine(
            $"Machine: {System.Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; "
            + $"measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, both ways in the same run (one run each: the load is bounded)."
        );
        return sb.ToString();
    }

    internal static GroupDefinition Group() =>
        new(
            Environment,
            "web",
            ProviderKind.Docker,
            "heartbeat",
            6,
            new PortsDefinition(8080, FirstInstance),
            new Dictionary<string, string>(),
            new Dictionary<string, string>(),
            new HealthCheckDefinition(
                "/heartbeat",
                null,
                TimeSpan.FromMilliseconds(200),
                TimeSpan.FromSeconds(1),
                2,
                3,
                TimeSpan.FromSeconds(20)
            ),
            new RollingPolicy(
                new BatchSize(2, false),
                0,
                50,
                TimeSpan.Zero,
                TimeSpan.FromSeconds(1),
                TimeSpan.FromSeconds(5),
                TimeSpan.FromSeconds(5),
                FailureAction.Rollback
            ),
            null,
            new OutputsDefinition(null, null)
        )
        {
            Docker = new DockerHostDefinition("unix:///var/run/docker.sock"),
        };

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();
    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
