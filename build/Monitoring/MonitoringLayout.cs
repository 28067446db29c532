using Pipeline.Engine;

namespace Pipeline.Monitoring;

/// <summary>
/// Where monitoring leaves things: the rendered files of an environment (<c>artifacts/monitoring/&lt;env&gt;/</c>), the
/// secrets they point at (<c>.nuke/temp/monitoring/&lt;env&gt;/</c>, mode 0600, never in artifacts), and the textfile
/// directory every step writes its freshness metrics to (<c>artifacts/metrics/</c>). One object, so no step joins paths by hand.
/// </summary>
public sealed record MonitoringLayout(AbsolutePath Output, AbsolutePath StateDirectory, AbsolutePath Metrics)
{
    public static MonitoringLayout Of(AbsolutePath artifactsDirectory, AbsolutePath temporaryDirectory, string environment) =>
        new(
            artifactsDirectory / "monitoring" / environment,
            temporaryDirectory / "monitoring" / environment,
            MetricsOf(artifactsDirectory));

    /// <summary>The textfile collector's directory: <c>artifacts/metrics</c>.</summary>
    public static AbsolutePath MetricsOf(AbsolutePath artifactsDirectory) => artifactsDirectory / "metrics";

    public AbsolutePath PrometheusConfig => Output / "prometheus.yml";
    /// <summary>Named in prometheus.yml relative to it (Prometheus resolves rule_files from the config's folder).</summary>
    public const string RulesName = "rules.yml";
    public AbsolutePath Rules => Output / RulesName;
    public AbsolutePath AlertmanagerConfig => Output / "alertmanager.yml";
    public AbsolutePath GrafanaDatasources => Output / "grafana" / "provisioning" / "datasources" / "prometheus.yml";
    public AbsolutePath GrafanaDashboardProvider => Output / "grafana" / "provisioning" / "dashboards" / "pipeline.yml";
    public AbsolutePath GrafanaDashboards => Output / "grafana" / "dashboards";
    public AbsolutePath Dashboard(string group) => GrafanaDashboards / $"{group}.json";

    /// <summary>The Slack webhook URL Alertmanager reads (<c>api_url_file</c>): mode 0600, outside artifacts.</summary>
    public AbsolutePath SlackWebhookFile => StateDirectory / "slack-webhook-url";
}
