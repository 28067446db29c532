using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Monitoring;
using Xunit;

namespace Pipeline.Tests.Monitoring;

public sealed class MonitoringDefinitionTests
{
    private static DefinitionNode Yaml(string text) => DefinitionFile.Parse(text, "environments/test.yml", _ => null);

    private static MonitoringDefinition Load(string yaml) =>
        MonitoringDefinitionLoader.Load(Yaml(yaml), "test", TimeSpan.FromMinutes(3));

    [Fact]
    public void A_complete_section_loads()
    {
        var m = Load("""
            monitoring:
              prometheus: { address: 127.0.0.1:29090, scrape_interval: 5s, evaluation_interval: 10s }
              haproxy: [127.0.0.1:25098]
              node_exporters: ["127.0.0.1:29100", "[::1]:9100"]
              alertmanager: { address: alerts.example.test:9093, slack: { channel: "#alerts" }, repeat_interval: 2h }
              alerts: { instance_down_for: 30s, error_budget: 2.5%, error_window: 10m, backup_max_age: 2d, certificate_grace: 6h }
            """);

        m.Prometheus.Should().Be(new PrometheusSettings("127.0.0.1:29090", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)));
        m.Haproxy.Should().Equal("127.0.0.1:25098");
        m.NodeExporters.Should().Equal("127.0.0.1:29100", "[::1]:9100");
        m.Alertmanager.Should().Be(new AlertmanagerSettings("alerts.example.test:9093", "#alerts", TimeSpan.FromHours(2)));
        m.Alerts.Should().Be(new AlertThresholds(TimeSpan.FromSeconds(30), 0.025, TimeSpan.FromMinutes(10), TimeSpan.FromDays(2),
            TimeSpan.FromHours(6), TimeSpan.FromMinutes(3)));
    }

    [Fact]
    public void An_empty_section_takes_the_defaults_and_the_lock_ttl_it_is_given()
    {
        var m = Load("monitoring: {}\n");

        m.Prometheus.Should().Be(PrometheusSettings.Default);
        m.Alertmanager.Should().Be(AlertmanagerSettings.Default);
        m.Alerts.Should().Be(AlertThresholds.Default with { LockTtl = TimeSpan.FromMinutes(3) });
        m.Haproxy.Should().BeEmpty();
    }

    [Fact]
    public void Grafana_takes_a_root_url_and_an_optional_dashboard_uid_and_without_a_url_sends_nothing()
    {
        Load("monitoring:\n  grafana: { url: https://grafana.example.com/, dashboard_uid: deploys_01 }\n").Grafana.Should()
            .Be(new GrafanaSettings(new Uri("https://grafana.example.com/"), "deploys_01"));
        Load("monitoring:\n  grafana: { url: http://127.0.0.1:3000 }\n").Grafana!.DashboardUid.Should().BeNull();
        Load("monitoring:\n  grafana: {}\n").Grafana.Should().BeNull();
        Load("monitoring: {}\n").Grafana.Should().BeNull();
    }

    [Theory]
    [InlineData(
        "monitoring:\n  grafana: { url: grafana.example.com }\n",
        "environments/test.yml: monitoring/grafana/url: 'grafana.example.com' must be Grafana's http(s) URL*(line 2, column 19)")]
    [InlineData(
        "monitoring:\n  grafana: { url: \"https://u:p@grafana.example.com\" }\n",
        "*monitoring/grafana/url: * must be Grafana's root URL alone*")]
    [InlineData(
        "monitoring:\n  grafana: { url: https://g.example.com, dashboard_uid: \"a b\" }\n",
        "*monitoring/grafana/dashboard_uid: 'a b' must be a dashboard uid*")]
    [InlineData("monitoring:\n  grafana: { url: https://g.example.com, token: x }\n", "*monitoring/grafana/token: unknown key*")]
    [InlineData(
        "monitoring:\n  promethues: {}\n",
        "environments/test.yml: monitoring/promethues: unknown key. Did you mean 'prometheus'?*")]
    [InlineData("monitoring:\n  haproxy: [localhost]\n",
        "environments/test.yml: monitoring/haproxy/0: 'localhost' must be host:port (e.g. 127.0.0.1:9100) (line 2, column 13)")]
    [InlineData("monitoring:\n  node_exporters: [\"h:70000\"]\n", "*monitoring/node_exporters/0: port 70000 must be between 1 and 65535*")]
    [InlineData(
        "monitoring:\n  alerts: { error_budget: 120% }\n",
        "*monitoring/alerts/error_budget: '120%' must be above 0% and below 100%*")]
    [InlineData(
        "monitoring:\n  alerts: { error_budget: lots }\n",
        "*monitoring/alerts/error_budget: 'lots' must be a share such as 1% or 0.01*")]
    [InlineData("monitoring:\n  alerts: { instance_down_for: 500ms }\n", "*monitoring/alerts/instance_down_for: must be at least 1s*")]
    [InlineData(
        "monitoring:\n  prometheus: { scrape_interval: 1500ms }\n",
        "*monitoring/prometheus/scrape_interval: must be whole seconds*")]
    [InlineData("monitoring:\n  alertmanager: { slack: { channel: ops } }\n",
        "*monitoring/alertmanager/slack/channel: 'ops' must be a Slack channel such as #ops (or @user) (line 2, column 37)")]
    public void A_bad_value_is_refused_with_file_key_path_and_line(string yaml, string message)
    {
        FluentActions.Invoking(() => Load(yaml)).Should().Throw<DefinitionException>().WithMessage(message);
    }
}
