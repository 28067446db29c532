using Pipeline.Deploying.Definitions;
using Pipeline.Engine;
using System.Diagnostics;

namespace Pipeline.Deploying.Rolling;

/// <summary>
/// The outcome of a health gate: passed, or the failed check in words (<c>GET /heartbeat → 503</c>).
/// <paramref name="Answered"/> is false when nothing answered at all (refused, reset, timed out).
/// </summary>
public sealed record HealthVerdict(bool Healthy, string Detail, bool Answered = true);

/// <summary>Probes one instance's health check over HTTP.</summary>
public interface IHealthProbe
{
    Task<HealthVerdict> ProbeAsync(string address, HealthCheckDefinition check, CancellationToken ct);
}

public sealed class HttpHealthProbe : IHealthProbe
{
    private static readonly HttpClient Client = new(
        new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false }
    );

    public async Task<HealthVerdict> ProbeAsync(string address, HealthCheckDefinition check, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(check.Timeout);
        try
        {
            using var response = await Client.GetAsync(
                $"http://{address}{check.Path}",
                HttpCompletionOption.ResponseHeadersRead,
                timeout.Token
            );
            var code = (int)response.StatusCode;
            return new HealthVerdict(code is >= 200 and < 400, $"GET {check.Path} → {code}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new HealthVerdict(false, $"GET {check.Path}: no answer within {check.Timeout.TotalSeconds:0.#}s", Answered: false);
        }
        catch (HttpRequestException e)
        {
            return new HealthVerdict(false, $"GET {check.Path}: {e.InnerException?.Message ?? e.Message}", Answered: false);
        }
    }
}

/// <summary>
/// The gates of the rolling algorithm: a new instance must pass <c>healthy_threshold</c> checks in a row; it fails
/// once <c>unhealthy_threshold</c> checks in a row fail after <c>warmup</c>, or when <c>start_timeout</c> passes.
/// Until the instance has answered once, "nothing listens yet" (refused, reset) is still starting, not unhealthy:
/// only <c>start_timeout</c> bounds it, like Docker's start period.
/// Except when the instance reports itself healthy (its own health check, inside the container) while its published
/// port answers nothing: after <c>unhealthy_threshold</c> such checks in a row (and <c>warmup</c>) it fails at once,
/// with a hint about the bind address (an app listening on 127.0.0.1 inside the container is never reached from outside).
/// During <c>bake</c> a ready instance fails on <c>unhealthy_threshold</c> failures in a row.
/// </summary>
public sealed class HealthGate(IHealthProbe probe, HealthCheckDefinition check, TimeSpan warmup)
{
    public const string BindHint = "listen on 0.0.0.0 inside the container";

    /// <param name="selfHealthy">What the instance says of its own health (null: nothing to ask), asked only when a check finds nothing
    /// answering.</param>
    public async Task<HealthVerdict> WaitHealthyAsync(
        string address,
        CancellationToken ct,
        Func<CancellationToken, Task<bool?>>? selfHealthy = null
    )
    {
        var watch = Stopwatch.StartNew();
        int passes = 0, failures = 0, contradictions = 0;
        var answeredOnce = false;
        var last = new HealthVerdict(false, "not checked");
        while (true)
        {
            last = await probe.ProbeAsync(address, check, ct);
            answeredOnce |= last.Answered;
            if (last.Healthy) { passes++; failures = 0; }
            else if (answeredOnce) { failures++; passes = 0; }
            else passes = 0;
            contradictions = !last.Answered && selfHealthy is not null && await selfHealthy(ct) == true ? contradictions + 1 : 0;
            if (passes >= check.HealthyThreshold) return last;
            if (!last.Healthy && failures >= check.UnhealthyThreshold && watch.Elapsed >= warmup)
                return last with { Detail = $"{last.Detail} ({failures} checks in a row)" };
            if (contradictions >= check.UnhealthyThreshold && watch.Elapsed >= warmup)
                return last with
                {
                    Detail =
                        $"{last.Detail} ({contradictions} checks in a row on {address}) although the container reports itself healthy: "
                        + $"the app answers inside the container but not on its published port; if it listens on 127.0.0.1, {BindHint} "
                            + $"(and check that ports/container is the port it listens on)",
                };
            if (watch.Elapsed > check.StartTimeout)
                return new HealthVerdict(false, $"{last.Detail} (not healthy within start_timeout {check.StartTimeout.TotalSeconds:0}s)");
            await Task.Delay(check.Interval, ct);
        }
    }

    /// <summary>Watches instances for <paramref name="duration"/>; the first to fail its threshold ends the bake.</summary>
    public async Task<(string Instance, HealthVerdict Verdict)?> BakeAsync(
        IReadOnlyDictionary<string, string> addresses,
        TimeSpan duration,
        CancellationToken ct
    )
    {
        if (duration <= TimeSpan.Zero || addresses.Count == 0) return null;
        var failures = addresses.Keys.ToDictionary(k => k, _ => 0);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            foreach (var (name, address) in addresses)
            {
                var verdict = await probe.ProbeAsync(address, check, ct);
                failures[name] = verdict.Healthy ? 0 : failures[name] + 1;
                if (failures[name] >= check.UnhealthyThreshold) return (name, verdict with { Detail = $"{verdict.Detail} during bake" });
            }
            await Task.Delay(check.Interval, ct);
        }
        Log.Debug($"  baked {string.Join(", ", addresses.Keys)} for {duration.TotalSeconds:0.#}s");
        return null;
    }
}
