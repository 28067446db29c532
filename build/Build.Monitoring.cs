using Pipeline.Deploying.Definitions;
using Pipeline.Engine;
using Pipeline.Monitoring;

namespace Pipeline;

/// <summary>Monitoring provisioned from the environment file: Prometheus, alert rules, Alertmanager, Grafana.</summary>
partial class Build
{
    [Parameter("Grafana service account token (Bearer) for Deploy's annotations to monitoring/grafana/url.")]
    [Secret]
    readonly string? GrafanaToken;

    /// <summary>monitoring/grafana of the environment file, validated with the rest of the section; null without it.</summary>
    GrafanaSettings? GrafanaSettings =>
        EnvironmentFile.Exists && EnvironmentRoot.Optional("monitoring") is not null ? MonitoringDefinition.Grafana : null;

    Target Monitoring => _ => _
        .Description("Render the environment's Prometheus, alert rules, Alertmanager and Grafana files to artifacts/monitoring/<env>/ "
            + "and check them with promtool and amtool.")
        .After(Deploy)
        .Needs(MonitoringTools.Promtool, MonitoringTools.Amtool)
        .Executes(async ct =>
        {
            if (!EnvironmentFile.Exists || EnvironmentRoot.Optional("monitoring") is null)
            {
                Log.Information($"{EnvironmentFileName} has no monitoring: section: nothing to render.");
                return;
            }
            var layout = MonitoringLayout;
            var files = MonitoringRenderer.Render(MonitoringDefinition, MonitoredGroups(), layout);
            var changed = MonitoringRenderer.Write(files, layout);
            await WriteSlackWebhookAsync(layout, ct);
            await MonitoringChecks.RunAsync(layout, ct);
            Log.Information(
                $"Monitoring of {EnvironmentName}: {files.Count} files in {layout.Output.RelativeTo(RootDirectory)}/ ({changed} changed), "
                + "checked by promtool and amtool.");
        });

    /// <summary>The textfile directory every step writes its freshness metrics to (artifacts/metrics/*.prom).</summary>
    AbsolutePath MetricsDirectory => MonitoringLayout.MetricsOf(ArtifactsDirectory);

    MonitoringLayout MonitoringLayout => MonitoringLayout.Of(ArtifactsDirectory, TemporaryDirectory, EnvironmentName);

    MonitoringDefinition? _monitoringDefinition;
    /// <summary>The monitoring: section, validated once per run; the deploy lock's TTL comes from the lock: section.</summary>
    MonitoringDefinition MonitoringDefinition => _monitoringDefinition ??= MonitoringDefinitionLoader.Load(
        EnvironmentRoot,
        EnvironmentName,
        EnvironmentRoot.Optional("groups") is null ? LockDefinition.Default.Ttl : DeployDefinition.Lock.Ttl);

    /// <summary>The environment's groups as monitoring sees them: their file_sd listings (absolute) and HAProxy backends.</summary>
    IReadOnlyList<MonitoredGroup> MonitoredGroups() =>
        EnvironmentRoot.Optional("groups") is null
            ? []
            : DeployDefinition.Groups
                .Select(g => new MonitoredGroup(
                    g.Name, g.Outputs.FileSd is { } f ? DeployLayout.Resolve(f).Value : null, g.LoadBalancer?.Backend))
                .ToList();

    /// <summary>The environment's delivery metrics from the audit trail and git: the deploy report's page
    /// (artifacts/deploy/delivery-&lt;env&gt;.md) and artifacts/metrics/delivery-&lt;env&gt;.prom.</summary>
    async Task WriteDeliveryMetricsAsync(CancellationToken ct)
    {
        var outputs = DeployLayout.Outputs;
        var events = DeliveryHistory.ReadAudit(outputs / "audit.jsonl");
        var now = DateTimeOffset.UtcNow;
        var commits = new Dictionary<(string?, string), IReadOnlyList<CommitTime>>();
        foreach (var (previous, commit) in DeliveryCommitRanges(events, now - DeliveryMetrics.DefaultWindow))
            commits[(previous, commit)] = await DeliveryHistory.CommitsAsync(RootDirectory, previous, commit, ct);
        var delivery = DeliveryMetrics.Compute(EnvironmentName, events, (p, c) => commits.GetValueOrDefault((p, c)) ?? [],
            now, DeliveryMetrics.DefaultWindow);
        DeliveryReport.Write(outputs, MetricsDirectory, delivery);
        Log.Information(
            $"Delivery of {EnvironmentName}: {delivery.DeploysPerDay:0.##} deploys/day, lead time "
            + $"{delivery.LeadTime?.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) ?? "–"} min, "
            + $"change-failure rate {delivery.ChangeFailureRate:0.#%}, time to restore "
            + $"{delivery.TimeToRestore?.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) ?? "–"} s; "
            + $"{DeliveryReport.PageFile(outputs, EnvironmentName)}");
    }

    /// <summary>The git ranges the lead times need: each live deploy of this environment inside the window, its commit after
    /// the previous live one's (one git call per deploy the page shows, not per deploy the audit trail ever recorded).</summary>
    IEnumerable<(string? Previous, string Commit)> DeliveryCommitRanges(IReadOnlyList<DeployEvent> events, DateTimeOffset from)
    {
        string? previous = null;
        var deploys = events.Where(e => e.Environment == EnvironmentName).GroupBy(e => e.Deploy).OrderBy(g => g.Min(e => e.StartedAt));
        foreach (var deploy in deploys.Where(g => g.All(e => e.Succeeded)))
            if (deploy.Select(e => e.Commit).FirstOrDefault(c => c is not null) is { } commit)
            {
                if (deploy.Min(e => e.StartedAt) >= from) yield return (previous, commit);
                previous = commit;
            }
    }

    /// <summary>Alertmanager's api_url_file: the SlackWebhook secret in a mode-0600 file outside artifacts, never in a rendered
    /// file.</summary>
    async Task WriteSlackWebhookAsync(MonitoringLayout layout, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(SlackWebhook))
        {
            Log.Warning("--slack-webhook is not set: Alertmanager's Slack receiver has no URL in "
                + $"{layout.SlackWebhookFile.RelativeTo(RootDirectory)} until Monitoring runs with it (SLACK_WEBHOOK).");
            return;
        }
        await Acme.PrivateFile.WriteAtomicallyAsync(layout.SlackWebhookFile, System.Text.Encoding.UTF8.GetBytes(SlackWebhook), ct);
    }
}
