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
        .Needs(Tool.Apt("docker-compose"), DockerDaemon.Tool)
        .Executes(async ct =>
        {
            var stamp = new ClusterStamp(ArtifactsDirectory / "images.json", RootDirectory / "environments" / "virtual",
                TemporaryDirectory / "cluster" / "passed.stamp", ClusterTests);
            var inputs = File.Exists(ArtifactsDirectory / "images.json") ? stamp.Compute() : null;
            if (inputs is not null && !Retest && !Keep && stamp.PassedAt(inputs) is { } passedAt)
            {
                Log.Information($"ClusterTest is up to date: these images and checks passed at {passedAt:u} (--retest runs it again).");
                return;
            }
            await EnsureDockerAsync(ct);
            await using var notifications = await BeginNotifications("cluster-test", ct);
            using var docker = new DockerClient();
            var options = new ClusterOptions(RootDirectory)
            {
                Keep = Keep,
                ClusterTests = ClusterTests is null ? null : Path.GetFullPath(ClusterTests, RootDirectory),
            };
            var report = await new ClusterRunner(docker, options).RunAsync(ct);
            if (!report.Passed)
            {
                var failure =
                    $"{report.Results.Count(r => !r.Passed)} of {report.Results.Count} failed "
                    + $"({report.Failure ?? report.Results.First(r => !r.Passed).Name})";
                await notifications.FailedAsync($"cluster test failed: {failure}", ct);
                throw new PipelineException($"cluster test failed: {failure}; see artifacts/cluster/report.md and artifacts/cluster/logs/");
            }
            await notifications.SucceededAsync(ct);
            if (inputs is not null) stamp.RecordPass(inputs);
            Log.Information(
                $"Cluster test passed: {report.Results.Count} of {report.Results.Count} in {report.Duration.TotalSeconds:0.0} s; "
                + $"artifacts/cluster/report.md, artifacts/cluster/junit.xml."
            );
        });
}
