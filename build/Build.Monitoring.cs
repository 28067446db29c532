using Pipeline.Deploying.Definitions;
using Pipeline.Engine;
using Pipeline.Monitoring;

namespace Pipeline;

/// <summary>Monitoring provisioned from the environment file: Prometheus, alert rules, Alertmanager, Grafana.</summary>
partial class Build
{
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
