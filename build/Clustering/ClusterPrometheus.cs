using Pipeline.Deploying.Outputs;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Monitoring;
using Pipeline.Tools.Prometheus;
using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Clustering;

/// <summary>
/// Debian's Prometheus beside a virtual cluster, on a free 127.0.0.1 port of the run's range: the prometheus.yml and
/// default alert rules the Monitoring target renders (with <c>environments/virtual/monitoring.yml</c>'s short intervals),
/// scraping the load balancer's exporter and the group's members through a file_sd listing, as in an environment.
/// Its files, data and log live in the run's folder; it is stopped (by pid) with the run.
/// </summary>
public sealed class ClusterPrometheus(ClusterMonitoring monitoring, AbsolutePath directory, int port) : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly LocalServiceManager _manager = new(directory);
    private readonly Dictionary<string, string> _instances = new(StringComparer.Ordinal);

    public ClusterMonitoring Monitoring => monitoring;
    public PrometheusClient Client { get; } = new(Http, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The <c>instance</c> label (the published <c>127.0.0.1:port</c>) of a member service.</summary>
    public string? InstanceOf(string service) => _instances.GetValueOrDefault(service);

    /// <summary>Renders the files for the cluster's published ports (<paramref name="published"/>: the host port of a service's
    /// container port) and starts Prometheus (ready when <c>/-/ready</c> answers).</summary>
    public async Task StartAsync(Func<ServiceEndpoint, int> published, CancellationToken ct)
    {
        var m = monitoring.Definition;
        var lbPort = published(monitoring.Haproxy);
        foreach (var member in monitoring.Members)
            _instances[member] = $"127.0.0.1:{published(new(member, monitoring.MemberPort))}";
        var definition = m with
        {
            Prometheus = m.Prometheus with { Address = Client.BaseUrl.Authority },
            Haproxy = [$"127.0.0.1:{lbPort}"],
            NodeExporters = [],
        };
        var layout = new MonitoringLayout(directory, directory, directory);
        directory.CreateDirectory();
        File.WriteAllText(directory / OwnerFile, Leftovers.Owner(ProcessIdentity.Of(Environment.ProcessId)!));
        var fileSd = directory / $"{ClusterMonitoring.Environment}-{monitoring.Group}.file_sd.json";
        FileSd.Write(fileSd, FileSd.Render(ClusterMonitoring.Environment, monitoring.Group, [.. _instances.Values]));
        MaskedFile.WriteAtomically(layout.PrometheusConfig,
            PrometheusConfig.Render(definition, [monitoring.MonitoredGroup(fileSd)], alerting: false));
        MaskedFile.WriteAtomically(layout.Rules, DefaultAlertRules.Render(definition, DefaultAlertRules.For(definition)));
        await _manager.StartAsync(new LocalService(Name, MonitoringTools.Prometheus.Command,
            [
                $"--config.file={layout.PrometheusConfig}", $"--storage.tsdb.path={directory / "data"}",
                $"--web.listen-address={Client.BaseUrl.Authority}", "--log.level=warn",
            ],
            ReadinessProbe.Http($"{Client.BaseUrl}-/ready"))
        {
            Tools = [MonitoringTools.Prometheus],
            StartTimeout = TimeSpan.FromSeconds(30),
        }, ct);
    }

    /// <summary>
    /// Every target answers its scrape (up) and no InstanceDown alert is left from before the cluster was healthy;
    /// waits up to a few scrape and evaluation intervals.
    /// </summary>
    public async Task<CheckResult> TargetsUpAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var bound = Settle + TimeSpan.FromSeconds(5);
        IReadOnlyList<ScrapeTarget> targets = [];
        IReadOnlyList<ActiveAlert> alerts = [];
        while (watch.Elapsed < bound)
        {
            targets = await Client.TargetsAsync(ct);
            alerts = (await Client.AlertsAsync(ct)).Where(a => a.Name == InstanceDownWatch.Alert).ToList();
            if (targets.Count > 0 && targets.All(t => t.Health == "up") && alerts.Count == 0)
                return new CheckResult("every Prometheus target is up", "monitoring", true, watch.Elapsed,
                    $"{targets.Count} targets up ({string.Join(", ", targets.Select(t => t.Job).Distinct())}) at {Client.BaseUrl}");
            await Task.Delay(200, ct);
        }
        var down = targets.Where(t => t.Health != "up").Select(t => $"{t.Job} {t.Instance}: {t.Health} {t.LastError}".Trim());
        return new CheckResult("every Prometheus target is up", "monitoring", false, watch.Elapsed,
            targets.Count == 0 ? $"Prometheus at {Client.BaseUrl} has no targets after {bound.TotalSeconds:0} s"
            : alerts.Count > 0 && !down.Any() ? $"{alerts.Count} InstanceDown alert(s) still active after {bound.TotalSeconds:0} s"
            : $"not up after {bound.TotalSeconds:0} s: {string.Join("; ", down)}");
    }

    /// <summary>Starts watching the InstanceDown alert of a member the failover check is about to take down.</summary>
    public InstanceDownWatch Watch(string service, CancellationToken ct) =>
        new(this, service, InstanceOf(service)
            ?? throw new PipelineException(
                $"{service} is not a member of the monitored group {monitoring.Group} "
                + $"(environments/virtual/monitoring.yml lists {string.Join(", ", monitoring.Members)})"), ct);

    /// <summary>How long a change takes to show in an alert, besides its <c>for:</c>: two scrapes and two evaluations.</summary>
    public TimeSpan Settle =>
        2 * monitoring.Definition.Prometheus.ScrapeInterval + 2 * monitoring.Definition.Prometheus.EvaluationInterval;

    public AbsolutePath LogFile => _manager.LogFile(Name);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _manager.StopAsync(Name, cts.Token);
        if (Directory.Exists(directory / "data")) Directory.Delete(directory / "data", recursive: true);
        File.Delete(directory / OwnerFile);
    }

    /// <summary>Stops the Prometheus of earlier runs whose build is gone (killed): their run folder names a dead owner.</summary>
    public static async Task RemoveLeftoversAsync(AbsolutePath stateDirectory, CancellationToken ct)
    {
        if (!Directory.Exists(stateDirectory)) return;
        foreach (var owner in Directory.GetFiles(stateDirectory, OwnerFile, SearchOption.AllDirectories))
        {
            if (Leftovers.IsOwnerAlive(File.ReadAllText(owner).Trim())) continue;
            var folder = new AbsolutePath(Path.GetDirectoryName(owner)!);
            await new LocalServiceManager(folder).StopAsync(Name, ct);
            if (Directory.Exists(folder / "data")) Directory.Delete(folder / "data", recursive: true);
            File.Delete(owner);
        }
    }

    private const string Name = "prometheus", OwnerFile = "owner";
}
