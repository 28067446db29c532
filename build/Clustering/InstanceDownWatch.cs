using Pipeline.Monitoring;
using System.Diagnostics;

namespace Pipeline.Clustering;

/// <summary>
/// The InstanceDown alert of one member while a failover check has it down: from the moment it is taken down,
/// <see cref="Fired"/> polls Prometheus' <c>/api/v1/alerts</c> until the alert for its instance is firing (bounded by
/// the rule's <c>for:</c> plus two scrapes and two evaluations, and a margin); from the moment it is started again,
/// <see cref="ClearedAsync"/> polls until no alert for it is active. Both times go into the report.
/// </summary>
public sealed class InstanceDownWatch
{
    public const string Alert = "InstanceDown";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    private readonly ClusterPrometheus _prometheus;
    private readonly Stopwatch _down = Stopwatch.StartNew();

    public InstanceDownWatch(ClusterPrometheus prometheus, string service, string instance, CancellationToken ct)
    {
        _prometheus = prometheus;
        Service = service;
        Instance = instance;
        Bound = prometheus.Monitoring.Definition.Alerts.InstanceDownFor + prometheus.Settle + Margin;
        Fired = WaitFiringAsync(ct);
    }

    public string Service { get; }
    public string Instance { get; }
    public TimeSpan Bound { get; }

    /// <summary>Time from the take-down until the alert fired; null when it did not within <see cref="Bound"/>.</summary>
    public Task<TimeSpan?> Fired { get; }

    /// <summary>Started when the member is started again: the time until no alert for it is active; null when one still is
    /// after <paramref name="rejoinWithin"/> (the failover check's bound), the settle time and a margin.</summary>
    public async Task<TimeSpan?> ClearedAsync(TimeSpan rejoinWithin, CancellationToken ct)
    {
        var back = Stopwatch.StartNew();
        await Task.Yield();
        while (back.Elapsed < rejoinWithin + _prometheus.Settle + Margin)
        {
            if (!(await _prometheus.Client.AlertsAsync(ct)).Any(Matches)) return back.Elapsed;
            await Task.Delay(Poll, ct);
        }
        return null;
    }

    /// <summary>The alert's verdict for the report: fired within its bound while down, cleared after the member came back.</summary>
    public CheckResult Result(TimeSpan? fired, TimeSpan? cleared, TimeSpan elapsed)
    {
        var name = $"{Alert} fires for {Service} and clears";
        var rule = $"for: {PromDuration.Format(_prometheus.Monitoring.Definition.Alerts.InstanceDownFor)}";
        if (fired is null)
            return new CheckResult(name, "alert", false, elapsed,
                $"{Alert} for {Service} ({Instance}, {rule}) did not fire within {Bound.TotalSeconds:0.#} s of taking it down "
                + $"(Prometheus log: {_prometheus.LogFile})");
        if (cleared is null)
            return new CheckResult(name, "alert", false, elapsed,
                $"{Alert} for {Service} fired {fired.Value.TotalSeconds:0.0} s after taking it down but was still active "
                + "after it was started again and rejoined");
        return new CheckResult(name, "alert", true, elapsed,
            $"{Alert} ({rule}) fired {fired.Value.TotalSeconds:0.0} s after {Service} went down and cleared "
            + $"{cleared.Value.TotalSeconds:0.0} s after it was started again ({Instance}, {_prometheus.Client.BaseUrl})");
    }

    private async Task<TimeSpan?> WaitFiringAsync(CancellationToken ct)
    {
        await Task.Yield();
        while (_down.Elapsed < Bound)
        {
            if ((await _prometheus.Client.AlertsAsync(ct)).Any(a => Matches(a) && a.Firing)) return _down.Elapsed;
            await Task.Delay(Poll, ct);
        }
        return null;
    }

    private bool Matches(Tools.Prometheus.ActiveAlert alert) =>
        alert.Name == Alert && alert.Labels.GetValueOrDefault("instance") == Instance;
}
