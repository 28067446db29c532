using Pipeline.CI;

namespace Pipeline.Monitoring;

/// <summary>
/// prometheus.yml of an environment: Prometheus itself, each group's members through the file_sd listing Deploy writes
/// (<c>outputs/file_sd</c>), HAProxy's built-in exporter, and the node exporters (whose textfile collector carries the
/// steps' freshness metrics). Every target is labelled with <c>env</c>; the rules file sits beside it.
/// </summary>
public static class PrometheusConfig
{
    /// <param name="alerting">False leaves Alertmanager out (ClusterTest's Prometheus only raises alerts, sends none).</param>
    public static string Render(MonitoringDefinition m, IReadOnlyList<MonitoredGroup> groups, bool alerting = true)
    {
        var global = new YamlMapping()
            .Add("scrape_interval", PromDuration.Format(m.Prometheus.ScrapeInterval))
            .Add("evaluation_interval", PromDuration.Format(m.Prometheus.EvaluationInterval))
            .Add("external_labels", new YamlMapping().Add("env", m.Environment));
        var alertmanagers = new YamlMapping().Add("alertmanagers", new YamlSequence([
            new YamlMapping().Add("static_configs", new YamlSequence([
                new YamlMapping().Add("targets", YamlSequence.Of([m.Alertmanager.Address])),
            ])),
        ]));
        var scrapes = new List<YamlNode> { Static("prometheus", [m.Prometheus.Address], m.Environment) };
        foreach (var group in groups.Where(g => g.FileSd is not null))
            scrapes.Add(new YamlMapping()
                .Add("job_name", group.Job(m.Environment))
                .Add("file_sd_configs", new YamlSequence([new YamlMapping().Add("files", YamlSequence.Of([group.FileSd!]))])));
        if (m.Haproxy.Count > 0) scrapes.Add(Static("haproxy", m.Haproxy, m.Environment));
        // The steps' textfile metrics name their environment themselves (env): those labels win over the target's.
        if (m.NodeExporters.Count > 0)
            scrapes.Add(Static("node", m.NodeExporters, m.Environment).Add("honor_labels", YamlLiteral.Of(true)));
        var document = new YamlMapping()
            .Add("global", global)
            .Add("rule_files", YamlSequence.Of([MonitoringLayout.RulesName]));
        if (alerting) document.Add("alerting", alertmanagers);
        document.Add("scrape_configs", new YamlSequence(scrapes));
        return YamlEmitter.Emit(document,
            $"Prometheus of the {m.Environment} environment, rendered by ./build.sh Monitoring from environments/{m.Environment}.yml.");
    }

    private static YamlMapping Static(string job, IReadOnlyList<string> targets, string environment) =>
        new YamlMapping()
            .Add("job_name", job)
            .Add("static_configs", new YamlSequence([
                new YamlMapping().Add("targets", YamlSequence.Of(targets)).Add("labels", new YamlMapping().Add("env", environment)),
            ]));
}
