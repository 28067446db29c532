using CliWrap;
using Pipeline.Clustering;
using Pipeline.Engine;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;
using System.Diagnostics;

namespace Pipeline.Benchmarks;

/// <summary>
/// ClusterTest's cost beside the bare compose lifecycle of the same rendered file, same run: ours is the runner
/// (leftover sweep, render, <c>up</c>, wait for health and readiness through the load balancer, a check, report,
/// <c>down -v --remove-orphans</c> and the label check); the peer is <c>docker-compose up -d</c> then <c>down -v</c>.
/// The whole ClusterTest with environments/virtual/checks.yml (its failover steps hold instances down on purpose)
/// is measured too and shown beside them.
/// </summary>
public sealed class ClusterScenario : IBenchmarkScenario
{
    public const double Goal = 1.2;
    public string Name => "cluster";
    public bool UsesDocker => true;

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var runs = Math.Max(3, context.Runs);
        using var docker = new DockerClient();
        var layout = ClusterLayout.Of(context.Root, context.Build.ArtifactsDirectory, context.Build.TemporaryDirectory);
        var work = (layout.StateDirectory / "bench").CreateDirectory();
        var smoke = work / "checks.yml";
        await File.WriteAllTextAsync(smoke, """
            load-balancer: { service: lb, port: 80 }
            readiness: { path: /heartbeat, timeout: 90s }
            checks:
              - name: heartbeat through the load balancer
                http: { path: /heartbeat, json: { instance: "*" } }
            """, ct);
        var quiet = new ClusterOptions(layout with { Outputs = work / "artifacts" })
        {
            ChecksFile = smoke,
            ProjectPrefix = "pipeline-cluster-bench-",
        };
        var flavor = await ComposeCli.DetectAsync(ct);

        async Task Ours(ClusterOptions options, CancellationToken c)
        {
            var report = await new ClusterRunner(docker, options).RunAsync(c);
            if (!report.Passed)
                throw new PipelineException(
                    $"the cluster test failed during the benchmark: {report.Failure ?? report.Results.First(r => !r.Passed).Message}"
                );
        }

        async Task Bare(CancellationToken c)
        {
            var runner = new ClusterRunner(docker, quiet);
            var project = ClusterProject.New("pipeline-cluster-bench-", DateTimeOffset.UtcNow, Environment.ProcessId);
            var file = runner.Render(project, ClusterRunner.Values(project, "bench"));
            var compose = new ComposeCommands(flavor, project.Name, file);
            try
            {
                await Cli.Wrap(compose.Executable)
                    .WithArguments(compose.Args("up", "-d"))
                    .WithWorkingDirectory(file.Parent)
                    .RunBufferedAsync(c);
            }
            finally
            {
                await Cli.Wrap(compose.Executable)
                    .WithArguments(compose.Args("down", "-v", "--remove-orphans"))
                    .WithWorkingDirectory(file.Parent)
                    .RunBufferedAsync(CancellationToken.None);
            }
        }

        await Bare(ct); // warm: page cache, compose's Python start-up
        Log.Information($"Measuring ClusterTest's runner (smoke check) and bare compose up -d + down, {runs} runs each, alternating…");
        var ours = new List<TimeSpan>();
        var peer = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            ours.Add(await Time(c => Ours(quiet, c), ct));
            peer.Add(await Time(Bare, ct));
        }
        Log.Information("Measuring the whole ClusterTest with environments/virtual/checks.yml (failover included)…");
        var whole = await Measurement.TakeAsync(
            "whole ClusterTest (checks.yml, incl. failover dwell)",
            Math.Max(1, runs / 2),
            c => Ours(new ClusterOptions(layout with { Outputs = work / "artifacts-whole" }), c),
            ct
        );

        var oursM = new Measurement("ClusterTest runner: sweep, up, health + readiness via LB, 1 check, report, down, label check", ours);
        var peerM = new Measurement(
            $"bare `{(flavor == ComposeFlavor.V2 ? "docker compose" : "docker-compose")} up -d` + `down -v` of the same rendered file",
            peer
        );
        Log.Information(
            $"cluster: {BenchmarkReport.Ratio(oursM, peerM):0.000} × bare compose (goal ≤ {Goal}); whole ClusterTest median "
            + $"{whole.Median.TotalSeconds:0.0} s"
        );
        return BenchmarkReport.Render(
                "Cluster test: the runner against bare compose",
                "Same rendered compose file (environments/virtual/compose.template.yml with artifacts/images.json), same run, alternating. "
                    + "Ours adds the leftover sweep, health checks through the Engine API and readiness through HAProxy, one HTTP check, "
                        + "report.md/junit.xml and the label check after `down`.",
                oursM,
                peerM,
                Goal
            )
            + $"\nThe whole ClusterTest with `environments/virtual/checks.yml` (9 checks; the two failover checks hold an instance down "
                + $"for their `duration` and wait for it to rejoin): median **{whole.Median.TotalSeconds:0.0} s** over "
                    + $"{whole.Samples.Count} run(s), i.e. {whole.Median.TotalMilliseconds / peerM.Median.TotalMilliseconds:0.00} × bare "
                        + $"compose; that difference is the checks' deliberate dwell time, not overhead.\n";
    }

    private static async Task<TimeSpan> Time(Func<CancellationToken, Task> action, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await action(ct);
        return watch.Elapsed;
    }
}
