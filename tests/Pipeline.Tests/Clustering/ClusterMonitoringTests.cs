using FluentAssertions;
using Pipeline.Clustering;
using Pipeline.Definitions;
using Pipeline.Monitoring;
using Xunit;

namespace Pipeline.Tests.Clustering;

/// <summary>environments/virtual/monitoring.yml, the dashboard queries' metric names, and the ports a rendered compose file
/// publishes: what ClusterTest's Prometheus is started from.</summary>
public sealed class ClusterMonitoringTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-cluster-monitoring-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_repositorys_virtual_monitoring_file_loads_with_short_intervals_and_the_groups_members()
    {
        var root = Baking.ImageRepository.ProjectRoot();
        var m = ClusterMonitoring.Load(Path.Combine(root, "environments", "virtual", "monitoring.yml"), "monitoring.yml");

        m.Definition.Environment.Should().Be("virtual");
        m.Definition.Prometheus.ScrapeInterval.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
        m.Definition.Alerts.InstanceDownFor.Should().BeLessThan(TimeSpan.FromSeconds(5));
        m.Haproxy.Should().Be(new ServiceEndpoint("lb", 80));
        m.Members.Should().Equal("app1", "app2");
        m.MonitoredGroup(null).Job("virtual").Should().Be("virtual-app");
    }

    [Fact]
    public void A_monitoring_file_without_members_is_refused_with_the_key_path()
    {
        var path = Write("monitoring.yml", """
            monitoring: { alerts: { instance_down_for: 2s } }
            scrape:
              haproxy: { service: lb, port: 80 }
              group: { name: app, port: 8080, members: [] }
            """);

        var act = () => ClusterMonitoring.Load(path, "environments/virtual/monitoring.yml");

        act.Should().Throw<DefinitionException>().WithMessage("*environments/virtual/monitoring.yml*scrape*group*members*");
    }

    [Fact]
    public void Every_metric_a_dashboard_panel_selects_is_found_in_its_query()
    {
        var m = MonitoringDefinitionLoader.Load(DefinitionFile.Parse("monitoring: {}", "x.yml"), "virtual", TimeSpan.FromMinutes(2));
        var names = GrafanaDashboard.Panels(m, new MonitoredGroup("app", null, "app"))
            .SelectMany(p => p.Queries).SelectMany(q => DashboardDataCheck.MetricsOf(q.Expression)).Distinct();

        names.Should().BeEquivalentTo(MetricNames.HaproxyRequests, MetricNames.HaproxyResponses, MetricNames.HaproxyResponseTime,
            MetricNames.Up, MetricNames.HaproxyActiveServers);
        DashboardDataCheck.MetricsOf("sum by (code) (rate(a_total{x=\"1\"}[1m])) / b{y=~\"2|3\"}").Should().Equal("a_total", "b");
    }

    [Fact]
    public void The_published_port_of_a_service_is_read_from_the_rendered_compose_file_before_up()
    {
        var compose = Write("compose.yml", """
            services:
              lb: { image: x, ports: ["127.0.0.1:26001:80"] }
              app1:
                image: y
                ports: ["127.0.0.1:26002:8080"]
                environment: { PASSWORD: "${CLUSTER_PASSWORD}" }
            """);

        ComposeFileRenderer.PublishedPort(compose, new("lb", 80), "compose.yml").Should().Be(26001);
        ComposeFileRenderer.PublishedPort(compose, new("app1", 8080), "compose.yml").Should().Be(26002);
        var act = () => ComposeFileRenderer.PublishedPort(compose, new("app1", 9090), "compose.yml");
        act.Should().Throw<Pipeline.Engine.PipelineException>().WithMessage("*app1 does not publish port 9090*");
    }

    [Fact]
    public void The_cluster_prometheus_config_leaves_alertmanager_out_but_keeps_the_rules()
    {
        var m = MonitoringDefinitionLoader.Load(DefinitionFile.Parse("monitoring: {}", "x.yml"), "virtual", TimeSpan.FromMinutes(2));

        var yaml = PrometheusConfig.Render(m, [new MonitoredGroup("app", "/tmp/virtual-app.file_sd.json", "app")], alerting: false);

        yaml.Should().NotContain("alertmanagers").And.Contain("rules.yml").And.Contain("job_name: virtual-app");
        PrometheusConfig.Render(m, []).Should().Contain("alertmanagers");
    }
}
