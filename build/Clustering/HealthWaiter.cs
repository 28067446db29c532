using Pipeline.Engine;
using Pipeline.Tools.Docker;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Clustering;

/// <summary>
/// Waits until every container of the project is running and healthy (the engine's health checks, seen through
/// the Engine API; while Docker has not yet run a container's first check, the runner runs that same check itself,
/// see <see cref="FirstHealthCheck"/>), then until the readiness path answers 2xx through the load balancer; records
/// what it saw. A container that exits fails the wait at once.
/// </summary>
public sealed class HealthWaiter(ClusterServices services, HealthHistory history)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(150);
    private readonly ConcurrentDictionary<string, bool> _passedFirstCheck = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastTry = new(StringComparer.Ordinal);

    public async Task WaitAsync(ServiceEndpoint loadBalancer, string readinessPath, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var waitingFor = "the containers";
        while (watch.Elapsed < timeout)
        {
            var containers = await services.ContainersAsync(ct);
            if (containers.Count == 0) throw new PipelineException("the cluster has no containers after up");
            var waiting = (await Task.WhenAll(containers.Select(c => WaitingForAsync(c, ct)))).OfType<string>().ToList();
            if (waiting.Count == 0)
            {
                waitingFor = $"{readinessPath} through {loadBalancer}";
                var url = await services.UrlAsync(loadBalancer, ct);
                var answer = await HttpProbe.SendAsync(url, "GET", readinessPath, null, null, null, TimeSpan.FromSeconds(3), ct);
                history.Add(
                    new HealthSample(
                        DateTimeOffset.UtcNow,
                        $"{loadBalancer.Service}{readinessPath}",
                        "probe",
                        answer.Status is >= 200 and < 300 ? "ready" : "not-ready",
                        answer.Describe()
                    )
                );
                if (answer.Status is >= 200 and < 300)
                {
                    Log.Information(
                        $"Cluster healthy and answering {readinessPath} through {loadBalancer.Service} after "
                        + $"{watch.Elapsed.TotalSeconds:0.0} s."
                    );
                    return;
                }
            }
            else waitingFor = string.Join(", ", waiting);
            await Task.Delay(Poll, ct);
        }
        throw new PipelineException($"the cluster was not ready within {timeout.TotalSeconds:0} s: still waiting for {waitingFor}");
    }

    /// <summary>What the container still waits for ("app1 (running, starting)"), or null when it is healthy.</summary>
    private async Task<string?> WaitingForAsync(ContainerSummary container, CancellationToken ct)
    {
        var service = ClusterServices.Service(container);
        var inspect = await services.Docker.InspectContainerAsync(container.Id, ct);
        if (inspect is null) return $"{service} (gone)";
        var state = inspect.State;
        var detail = state.Health?.Log?.LastOrDefault()?.Output?.Trim().Replace('\n', ' ') ?? state.Error ?? "";
        history.Add(
            new HealthSample(DateTimeOffset.UtcNow, service, state.Status, state.HealthStatus, detail.Length > 160 ? detail[..160] : detail)
        );
        if (state.Status is "exited" or "dead")
            throw new PipelineException(
                $"{service} exited with code {state.ExitCode} before the cluster was healthy (its log: "
                + $"artifacts/cluster/logs/{service}.log)"
            );
        if (!state.Running || state.HealthStatus is "unhealthy") return $"{service} ({state.Status}, {state.HealthStatus})";
        if (state.HealthStatus is not "starting" || _passedFirstCheck.ContainsKey(container.Id)) return null;
        var now = Environment.TickCount64;
        if (_lastTry.TryGetValue(container.Id, out var last) && now - last < 300)
            return $"{service} ({state.Status}, {state.HealthStatus})";
        _lastTry[container.Id] = now;
        if (!await FirstHealthCheck.PassesAsync(services.Docker, inspect, ct)) return $"{service} ({state.Status}, {state.HealthStatus})";
        _passedFirstCheck[container.Id] = true;
        history.Add(
            new HealthSample(
                DateTimeOffset.UtcNow,
                service,
                state.Status,
                "healthy",
                "its health check passed when the runner ran it (before Docker's next interval)"
            )
        );
        return null;
    }
}
