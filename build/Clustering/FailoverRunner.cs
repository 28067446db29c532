using Pipeline.Engine;
using System.Diagnostics;

namespace Pipeline.Clustering;

/// <summary>
/// A failover check: take one app instance down (stop or SIGKILL through the Engine API), keep probing through the
/// load balancer for the check's duration (every answer must be the expected status within the bound), start the
/// instance again, and wait until the load balancer routes to it again. With the cluster's Prometheus, the instance
/// stays down until its InstanceDown alert fires (bounded), and after it rejoins the alert must clear: <see cref="Alert"/>.
/// </summary>
public sealed class FailoverRunner(ClusterServices services, ClusterPrometheus? prometheus = null)
{
    /// <summary>The InstanceDown alert's result of the last run, when Prometheus watched it.</summary>
    public CheckResult? Alert { get; private set; }

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a restarted instance must keep answering to count as rejoined: longer than the load balancer's
    /// health checks take to confirm it (rise 2 × inter 1 s in environments/virtual/haproxy.cfg).</summary>
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(3);

    /// <summary>A longer silence from the instance means the load balancer took it out again: the count starts over.</summary>
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(1);

    public async Task<Outcome> RunAsync(FailoverCheck check, CancellationToken ct)
    {
        var lb = await services.UrlAsync(check.Through, ct);
        var id = await services.ContainerIdAsync(check.Service, ct);
        if (check.Action == FailoverAction.Kill) await services.Docker.KillContainerAsync(id, "SIGKILL", ct);
        else await services.Docker.StopContainerAsync(id, TimeSpan.FromSeconds(5), ct);
        var alert = prometheus?.Watch(check.Service, ct);
        Log.Information(
            $"    {check.Service} {(check.Action == FailoverAction.Kill ? "killed" : "stopped")}; probing "
            + $"{lb.ToString().TrimEnd('/')}{check.Path} for {check.Duration.TotalSeconds:0.#} s…"
        );

        var down = Stopwatch.StartNew();
        int probes = 0, slowest = 0;
        string? problem = null;
        while ((down.Elapsed < check.Duration || alert is { Fired.IsCompleted: false }) && problem is null)
        {
            var answer = await HttpProbe.SendAsync(lb, "GET", check.Path, null, null, null, check.Within, ct);
            probes++;
            slowest = Math.Max(slowest, (int)answer.Elapsed.TotalMilliseconds);
            if (answer.Error is not null || answer.Status != check.Status)
                problem =
                    $"with {check.Service} down, probe {probes} at {down.Elapsed.TotalSeconds:0.0} s: "
                    + $"{(answer.Error ?? $"HTTP {answer.Status}, expected {check.Status}")}";
            else if (answer.JsonField(check.InstanceField) == check.Service)
                problem = $"with {check.Service} down, the load balancer still answered from it";
            else await Task.Delay(Pause, ct);
        }

        await services.Docker.StartContainerAsync(id, ct);
        var cleared = problem is null ? alert?.ClearedAsync(check.RejoinWithin, ct) : null;
        if (problem is not null) return new Outcome(problem, "");
        var fired = alert is null ? null : await alert.Fired;
        Log.Information(
            $"    {probes} probes answered {check.Status} while {check.Service} was down (slowest {slowest} ms); started it again, "
            + $"waiting for it to rejoin…"
        );

        // Rejoined: it has answered through the load balancer for Stable with no gap over Gap between its answers. Two
        // answers were not enough: a server that leaves maintenance when its name resolves again is routed to before its
        // health checks have passed, and one failed check under load takes it down again (seen: the next failover then
        // found both servers down and answered 503).
        var back = Stopwatch.StartNew();
        TimeSpan? first = null, last = null;
        while (back.Elapsed < check.RejoinWithin)
        {
            var answer = await HttpProbe.SendAsync(lb, "GET", check.Path, null, null, null, check.Within, ct);
            var now = back.Elapsed;
            if (last is { } previous && now - previous > Gap) first = null;
            if (answer.Status == check.Status && answer.JsonField(check.InstanceField) == check.Service)
            {
                first ??= now;
                last = now;
                if (now - first >= Stable)
                {
                    if (alert is not null) Alert = alert.Result(fired, await cleared!, down.Elapsed);
                    return new Outcome(
                        null,
                        $"{probes} probes answered {check.Status} while {check.Service} was down (slowest {slowest} ms); it rejoined "
                        + $"after {first.Value.TotalSeconds:0.0} s and stayed for {Stable.TotalSeconds:0} s"
                    );
                }
            }
            await Task.Delay(Pause, ct);
        }
        return new Outcome(
            $"{check.Service} did not rejoin the load balancer within {check.RejoinWithin.TotalSeconds:0.#} s of starting again",
            ""
        );
    }
}
