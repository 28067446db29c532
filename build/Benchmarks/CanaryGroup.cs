using Pipeline.Deploying.Canary;
using Pipeline.Deploying.Definitions;

namespace Pipeline.Benchmarks;

/// <summary>
/// The canary benchmark's group: two docker instances behind HAProxy, one analysed 25% step. The analysis is the default (0.01,
/// a 1-point error budget, ×1.2 latency tolerance, a 5-minute limit) but with 300 requests a side instead of 200: against a clean
/// baseline, a 5% failing canary then shows enough failures for Fisher's test at 0.01 in about 99 of 100 steps (at 200, about 87).
/// At 25% of <see cref="CanaryLoad.RequestsPerSecond"/> each, a side reaches 300 in about 25 s, a twelfth of the limit. The drain
/// timeout outlasts the slow release's requests (2.8 s of work), so a drained instance's answers are not cut off.
/// </summary>
public static class CanaryGroup
{
    public static CanaryAnalysis Analysis { get; } = CanaryAnalysis.Default with { Name = "bench", MinSamples = 300 };

    public static GroupDefinition Make(string environment, int firstPort, string runtime, string log) =>
        new(environment, "web", ProviderKind.Docker, "heartbeat", 2, new PortsDefinition(8080, firstPort),
            new Dictionary<string, string>(), new Dictionary<string, string>(),
            new HealthCheckDefinition("/heartbeat", null, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), 2, 3,
                TimeSpan.FromSeconds(20)),
            new RollingPolicy(new BatchSize(1, false), 0, 50, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(15),
                TimeSpan.FromSeconds(3), FailureAction.Rollback),
            new LoadBalancerDefinition(null, runtime, "web"), new OutputsDefinition(null, null))
        {
            Docker = new DockerHostDefinition("unix:///var/run/docker.sock"),
            Canary = new CanaryDefinition(
                [new CanaryStep(25, null, Analysis)],
                log, true),
        };
}
