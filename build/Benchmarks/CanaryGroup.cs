using Pipeline.Deploying.Canary;
using Pipeline.Deploying.Definitions;

namespace Pipeline.Benchmarks;

/// <summary>The canary benchmark's group: two docker instances behind HAProxy, one analysed 25% step (300 requests a side).</summary>
public static class CanaryGroup
{
    private static readonly CanaryAnalysis Analysis =
        CanaryAnalysis.Default with { Name = "bench", MinSamples = 300, MaxWait = TimeSpan.FromSeconds(90) };

    public static GroupDefinition Make(string environment, int firstPort, string runtime, string log) =>
        new(environment, "web", ProviderKind.Docker, "heartbeat", 2, new PortsDefinition(8080, firstPort),
            new Dictionary<string, string>(), new Dictionary<string, string>(),
            new HealthCheckDefinition("/heartbeat", null, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), 2, 3,
                TimeSpan.FromSeconds(20)),
            new RollingPolicy(new BatchSize(1, false), 0, 50, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(3),
                TimeSpan.FromSeconds(3), FailureAction.Rollback),
            new LoadBalancerDefinition(null, runtime, "web"), new OutputsDefinition(null, null))
        {
            Docker = new DockerHostDefinition("unix:///var/run/docker.sock"),
            Canary = new CanaryDefinition(
                [new CanaryStep(25, null, Analysis)],
                log, true),
        };
}
