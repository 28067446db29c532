using Pipeline.Clustering;
using Pipeline.Engine;
using Pipeline.Tools.Docker;

namespace Pipeline;

/// <summary>A compose replica of production (environments/virtual/), its checks, and guaranteed teardown.</summary>
partial class Build
{
    [Parameter("ClusterTest: leave the virtual cluster running afterwards and print how to reach it.")]
    readonly bool Keep;

    [Parameter("ClusterTest: an xunit project to run against the cluster (dotnet test, endpoints in CLUSTER_* variables).")]
    readonly string? ClusterTests;

    [Parameter("ClusterTest: run even when the same images and checks already passed.")]
    readonly bool Retest;

    Target ClusterTest => _ => _
        .Description("Start the virtual cluster from artifacts/images.json, wait for health, run the checks, keep the logs, tear down.")
        .DependsOn(Images)
        .Needs(Tool.Apt("docker-compose"), DockerDaemon.Tool, Pipeline.Monitoring.MonitoringTools.Prometheus)
        .Executes(async ct =>
        {
            var layout = ClusterLayout;
            var stamp = new ClusterStamp(layout, ClusterTests);
            var inputs = File.Exists(layout.ImagesManifest) ? stamp.Compute() : null;
            if (inputs is not null && !Retest && !Keep && stamp.PassedAt(inputs) is { } passedAt)
            {
                Log.Information($"ClusterTest is up to date: these images and checks passed at {passedAt:u} (--retest runs it again).");
                return;
            }
            await EnsureDockerAsync(ct);
            await using var notifications = await BeginNotifications("cluster-test", ct);
            using var docker = new DockerClient();
            var options = new ClusterOptions(layout)
            {
                Keep = Keep,
                ClusterTests = ClusterTests is null ? null : AbsolutePath.Parse(ClusterTests, RootDirectory),
            };
            var report = await new ClusterRunner(docker, options).RunAsync(ct);
            if (!report.Passed)
            {
                var failure =
                    $"{report.Results.Count(r => !r.Passed)} of {report.Results.Count} failed "
                    + $"({report.Failure ?? report.Results.First(r => !r.Passed).Name})";
                await notifications.FailedAsync($"cluster test failed: {failure}", ct);
                throw new PipelineException(
                    $"cluster test failed: {failure}; see {layout.Report.RelativeTo(RootDirectory)} and {layout.Logs.RelativeTo(RootDirectory)}/"
                );
            }
            await notifications.SucceededAsync(ct);
            if (inputs is not null) stamp.RecordPass(inputs);
            Pipeline.Monitoring.StepMetrics.ClusterTestPassed(MetricsDirectory, DateTimeOffset.UtcNow);
            Log.Information(
                $"Cluster test passed: {report.Results.Count} of {report.Results.Count} in {report.Duration.TotalSeconds:0.0} s; "
                + $"{layout.Report.RelativeTo(RootDirectory)}, {layout.JUnit.RelativeTo(RootDirectory)}."
            );
        });

    /// <summary>Where ClusterTest reads environments/virtual/ and images.json and leaves artifacts/cluster/ and its state.</summary>
    ClusterLayout ClusterLayout => ClusterLayout.Of(RootDirectory, ArtifactsDirectory, TemporaryDirectory);
}
