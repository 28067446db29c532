using Pipeline.Engine;
using System.Diagnostics;

namespace Pipeline.Clustering;

/// <summary>
/// A failover check: take one app instance down (stop or SIGKILL through the Engine API), keep probing through the
/// load balancer for the check's duration (every answer must be the expected status within the bound), start the
/// instance again, and wait until the load balancer routes to it again.
/// </summary>
public sealed class FailoverRunner(ClusterServices services)
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    public async Task<Outcome> RunAsync(FailoverCheck check, CancellationToken ct)
    {
        var lb = await services.UrlAsync(check.Through, ct);
        var id = await services.ContainerIdAsync(check.Service, ct);
        if (check.Action == FailoverAction.Kill) await services.Docker.KillContainerAsync(id, "SIGKILL", ct);
        else await services.Docker.StopContainerAsync(id, TimeSpan.FromSeconds(5), ct);
        Log.Information(
            $"    {check.Service} {(check.Action == FailoverAction.Kill ? "killed" : "stopped")}; probing "
            + $"{lb.ToString().TrimEnd('/')}{check.Path} for {check.Duration.TotalSeconds:0.#} s…"
        );

        var down = Stopwatch.StartNew();
        int probes = 0, slowest = 0;
        string? problem = null;
        while (down.Elapsed < check.Duration && problem is null)
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
        if (problem is not null) return new Outcome(problem, "");
        Log.Information(
            $"    {probes} probes answered {check.Status} while {check.Service} was down (slowest {slowest} ms); started it again, "
            + $"waiting for it to rejoin…"
        );

        // Rejoined: it answered through the load balancer twice (once could be a single lucky health check window).
        var back = Stopwatch.StartNew();
        var answers = 0;
        while (back.Elapsed < check.RejoinWithin)
        {
            var answer = await HttpProbe.SendAsync(lb, "GET", check.Path, null, null, null, check.Within, ct);
            if (answer.Status == check.Status && answer.JsonField(check.InstanceField) == check.Service && ++answers == 2)
                return new Outcome(
                    null,
                    $"{probes} probes answered {check.Status} while {check.Service} was down (slowest {slowest} ms); it rejoined after "
                    + $"{back.Elapsed.TotalSeconds:0.0} s"
                );
            await Task.Delay(Pause, ct);
        }
        return new Outcome(
            $"{check.Service} did not rejoin the load balancer within {check.RejoinWithin.TotalSeconds:0.#} s of starting again",
            ""
        );
    }
}
