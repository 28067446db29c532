using System.Diagnostics;
using Pipeline.Engine;

namespace Pipeline.Clustering;

/// <summary>
/// Waits until every container of the project is running and healthy (the engine's health checks, seen through
/// the Engine API), then until the readiness path answers 2xx through the load balancer; records what it saw.
/// A container that exits fails the wait at once.
/// </summary>
public sealed class HealthWaiter(ClusterServices services, HealthHistory history)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(250);

    public async Task WaitAsync(ServiceEndpoint loadBalancer, string readinessPath, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var waitingFor = "the containers";
        while (watch.Elapsed < timeout)
        {
            var waiting = new List<string>();
            var containers = await services.ContainersAsync(ct);
            if (containers.Count == 0) throw new PipelineException("the cluster has no containers after up");
            foreach (var container in containers)
            {
                var service = ClusterServices.Service(container);
                var inspect = await services.Docker.InspectContainerAsync(container.Id, ct);
                if (inspect is null) { waiting.Add($"{service} (gone)"); continue; }
                var state = inspect.State;
                var detail = state.Health?.Log?.LastOrDefault()?.Output?.Trim().Replace('\n', ' ') ?? state.Error ?? "";
                history.Add(new HealthSample(DateTimeOffset.UtcNow, service, state.Status, state.HealthStatus, detail.Length > 160 ? detail[..160] : detail));
                if (state.Status is "exited" or "dead")
                    throw new PipelineException($"{service} exited with code {state.ExitCode} before the cluster was healthy (its log: artifacts/cluster/logs/{service}.log)");
                if (!state.Running || state.HealthStatus is "starting" or "unhealthy") waiting.Add($"{service} ({state.Status}, {state.HealthStatus})");
            }
            if (waiting.Count == 0)
            {
                waitingFor = $"{readinessPath} through {loadBalancer}";
                var url = await services.UrlAsync(loadBalancer, ct);
                var answer = await HttpProbe.SendAsync(url, "GET", readinessPath, null, null, null, TimeSpan.FromSeconds(3), ct);
                history.Add(new HealthSample(DateTimeOffset.UtcNow, $"{loadBalancer.Service}{readinessPath}", "probe", answer.Status is >= 200 and < 300 ? "ready" : "not-ready", answer.Describe()));
                if (answer.Status is >= 200 and < 300)
                {
                    Log.Information($"Cluster healthy and answering {readinessPath} through {loadBalancer.Service} after {watch.Elapsed.TotalSeconds:0.0} s.");
                    return;
                }
            }
            else waitingFor = string.Join(", ", waiting);
            await Task.Delay(s_poll, ct);
        }
        throw new PipelineException($"the cluster was not ready within {timeout.TotalSeconds:0} s: still waiting for {waitingFor}");
    }
}
