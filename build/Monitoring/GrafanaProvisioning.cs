using Pipeline.CI;

namespace Pipeline.Monitoring;

/// <summary>
/// Grafana's provisioning files: the environment's Prometheus as the one datasource (a fixed uid the dashboards
/// name), and a file provider that loads the dashboards rendered beside them.
/// </summary>
public static class GrafanaProvisioning
{
    /// <summary>The uid every dashboard panel names: dashboards use no other datasource.</summary>
    public static string DatasourceUid(string environment) => $"pipeline-prometheus-{environment}";

    public static string Datasources(MonitoringDefinition m)
    {
        var datasource = new YamlMapping()
            .Add("name", $"Prometheus ({m.Environment})")
            .Add("uid", DatasourceUid(m.Environment))
            .Add("type", "prometheus")
            .Add("access", "proxy")
            .Add("url", m.Prometheus.Url)
            .Add("isDefault", YamlLiteral.Of(true))
            .Add("editable", YamlLiteral.Of(false))
            .Add("jsonData", new YamlMapping().Add("timeInterval", PromDuration.Format(m.Prometheus.ScrapeInterval)));
        return YamlEmitter.Emit(
            new YamlMapping().Add("apiVersion", YamlLiteral.Of(1)).Add("datasources", new YamlSequence([datasource])),
            $"Grafana datasource of the {m.Environment} environment, rendered by ./build.sh Monitoring.");
    }

    public static string DashboardProvider(MonitoringDefinition m, string dashboardsDirectory)
    {
        var provider = new YamlMapping()
            .Add("name", $"pipeline-{m.Environment}")
            .Add("folder", $"Pipeline ({m.Environment})")
            .Add("type", "file")
            .Add("disableDeletion", YamlLiteral.Of(true))
            .Add("allowUiUpdates", YamlLiteral.Of(false))
            .Add("options", new YamlMapping().Add("path", dashboardsDirectory));
        return YamlEmitter.Emit(
            new YamlMapping().Add("apiVersion", YamlLiteral.Of(1)).Add("providers", new YamlSequence([provider])),
            $"Grafana dashboards of the {m.Environment} environment (one per group), rendered by ./build.sh Monitoring.");
    }
}
