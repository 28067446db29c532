using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Monitoring;
using System.Text.Json;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.Monitoring;

public sealed class MonitoringRenderTests
{
    internal static readonly MonitoringDefinition Definition = new(
        "test",
        PrometheusSettings.Default with { Address = "127.0.0.1:29090" },
        ["127.0.0.1:25098"],
        ["127.0.0.1:29100"],
        AlertmanagerSettings.Default,
        AlertThresholds.Default
    );

    internal static readonly IReadOnlyList<MonitoredGroup> Groups =
        [new("web", "/repo/artifacts/deploy/test-web.file_sd.json", "web"), new("api", null, null)];

    private static readonly MonitoringLayout Layout = MonitoringLayout.Of(new AbsolutePath("/repo/artifacts"),
        new AbsolutePath("/repo/.nuke/temp"), "test");

    private static YamlNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }

    [Fact]
    public void Every_file_lands_under_artifacts_monitoring_of_the_environment_and_one_dashboard_per_group()
    {
        var files = MonitoringRenderer.Render(Definition, Groups, Layout);

        files.Select(f => f.Path.Value).Should()
            .OnlyContain(p => p.StartsWith("/repo/artifacts/monitoring/test/", StringComparison.Ordinal));
        files.Select(f => f.Path.Name).Should().Contain(["prometheus.yml", "rules.yml", "alertmanager.yml", "web.json", "api.json"]);
    }

    [Fact]
    public void Prometheus_scrapes_the_groups_through_deploys_file_sd_haproxy_and_the_node_exporters()
    {
        var config = (YamlMappingNode)Yaml(PrometheusConfig.Render(Definition, Groups));
        var jobs = ((YamlSequenceNode)config["scrape_configs"]).Cast<YamlMappingNode>().ToDictionary(j => j["job_name"].ToString());

        jobs.Keys.Should().Equal("prometheus", "test-web", "haproxy", "node");
        jobs["test-web"]["file_sd_configs"][0]["files"][0].ToString().Should().Be("/repo/artifacts/deploy/test-web.file_sd.json");
        jobs["haproxy"]["static_configs"][0]["labels"]["env"].ToString().Should().Be("test");
        config["rule_files"][0].ToString().Should().Be("rules.yml");
        config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"][0].ToString().Should().Be("127.0.0.1:9093");
    }

    [Fact]
    public void Alertmanager_reads_the_slack_webhook_from_a_file_and_never_holds_a_url()
    {
        var text = AlertmanagerConfig.Render(Definition, Layout.SlackWebhookFile);
        var slack = Yaml(text)["receivers"][0]["slack_configs"][0];

        slack["api_url_file"].ToString().Should().Be("/repo/.nuke/temp/monitoring/test/slack-webhook-url");
        text.Should().NotContain("hooks.slack.com").And.NotContain("api_url:");
        Layout.SlackWebhookFile.Value.Should().NotContain("/artifacts/");
    }

    [Fact]
    public void The_rules_take_their_thresholds_from_the_environment()
    {
        var rules = DefaultAlertRules.For(Definition with
        {
            Alerts = AlertThresholds.Default with
            {
                BackupMaxAge = TimeSpan.FromHours(2),
                ErrorBudget = 0.05,
                LockTtl = TimeSpan.FromMinutes(7),
            },
        }).ToDictionary(r => r.Name);

        rules.Keys.Should().Equal("InstanceDown", "ErrorRateOverBudget", "CertificateInRenewalWindow", "BackupTooOld", "DeployRolledBack",
            "DeployLockHeldPastTtl");
        rules["BackupTooOld"].Expression.Should().Be("time() - last_backup_timestamp_seconds{env=\"test\"} > 7200");
        rules["ErrorRateOverBudget"].Expression.Should().EndWith("> 0.05");
        rules["DeployLockHeldPastTtl"].Expression.Should().EndWith("> 420");
        rules["InstanceDown"].For.Should().Be(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Dashboards_parse_and_every_panel_and_annotation_uses_the_provisioned_datasource()
    {
        var uid = Yaml(GrafanaProvisioning.Datasources(Definition))["datasources"][0]["uid"].ToString();
        using var dashboard = JsonDocument.Parse(GrafanaDashboard.Render(Definition, Groups[0]));
        var root = dashboard.RootElement;

        var panels = root.GetProperty("panels").EnumerateArray().ToList();
        panels.Select(p => p.GetProperty("title").GetString()).Should().Equal("Requests", "Errors", "Latency", "Instance health");
        var datasources = panels.Select(p => p.GetProperty("datasource"))
            .Concat(panels.SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("datasource"))))
            .Concat(root.GetProperty("annotations").GetProperty("list").EnumerateArray().Select(a => a.GetProperty("datasource")));
        datasources.Should().OnlyContain(d => d.GetProperty("uid").GetString() == uid && d.GetProperty("type").GetString() == "prometheus");
        panels[0].GetProperty("targets")[0].GetProperty("expr").GetString().Should()
            .Be("sum(rate(haproxy_backend_http_requests_total{env=\"test\",proxy=\"web\"}[1m]))");
        root.GetProperty("annotations").GetProperty("list")[0].GetProperty("expr").GetString().Should()
            .Contain("pipeline_deploy_last_timestamp_seconds{env=\"test\",group=\"web\"}");
    }

    [Theory]
    [InlineData(90, "90s")]
    [InlineData(120, "2m")]
    [InlineData(93_600, "26h")]
    [InlineData(86_400, "1d")]
    public void Durations_are_written_in_their_largest_whole_unit(int seconds, string expected) =>
        PromDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
}
