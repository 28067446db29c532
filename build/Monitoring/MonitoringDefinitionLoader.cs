using Pipeline.Definitions;
using System.Globalization;
using System.Text.RegularExpressions;

[assembly: EnvironmentSection("monitoring", "Monitoring")]

namespace Pipeline.Monitoring;

/// <summary>Reads the <c>monitoring:</c> section of environments/&lt;env&gt;.yml into a validated <see
/// cref="MonitoringDefinition"/>.</summary>
public static partial class MonitoringDefinitionLoader
{
    /// <param name="lockTtl">The deploy lock's TTL (<c>lock/ttl</c>, its default without one).</param>
    public static MonitoringDefinition Load(DefinitionNode root, string environment, TimeSpan lockTtl)
    {
        var section = root
            .Required("monitoring", "add a monitoring: section with prometheus, haproxy, node_exporters, alertmanager, alerts")
            .AllowOnly("prometheus", "haproxy", "node_exporters", "alertmanager", "alerts", "grafana");
        return new MonitoringDefinition(
            environment,
            Prometheus(section.Optional("prometheus")),
            Addresses(section.Optional("haproxy")),
            Addresses(section.Optional("node_exporters")),
            Alertmanager(section.Optional("alertmanager")),
            Alerts(section.Optional("alerts"), lockTtl)
        )
        { Grafana = Grafana(section.Optional("grafana")) };
    }

    /// <summary><c>grafana: {url, dashboard_uid?}</c>; without url (or without the section) no annotation is sent.</summary>
    private static GrafanaSettings? Grafana(DefinitionNode? node)
    {
        if (node is null) return null;
        node.AllowOnly("url", "dashboard_uid");
        if (node.Optional("url") is not { } urlNode) return null;
        var text = urlNode.String().Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            throw urlNode.Error($"'{text}' must be Grafana's http(s) URL, e.g. https://grafana.example.com");
        if (url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
            throw urlNode.Error($"'{text}' must be Grafana's root URL alone (no query, fragment or user: the token is GrafanaToken)");
        var uidNode = node.Optional("dashboard_uid");
        var uid = uidNode?.String();
        if (uidNode is not null && !DashboardUid().IsMatch(uid!))
            throw uidNode.Error($"'{uid}' must be a dashboard uid: 1-40 letters, digits, - or _ (the uid in the dashboard's URL)");
        return new GrafanaSettings(url, uid);
    }

    private static PrometheusSettings Prometheus(DefinitionNode? node)
    {
        var d = PrometheusSettings.Default;
        if (node is null) return d;
        node.AllowOnly("address", "scrape_interval", "evaluation_interval");
        return new PrometheusSettings(
            node.Optional("address") is { } a ? Address(a) : d.Address,
            Positive(node.Optional("scrape_interval"), d.ScrapeInterval),
            Positive(node.Optional("evaluation_interval"), d.EvaluationInterval)
        );
    }

    private static AlertmanagerSettings Alertmanager(DefinitionNode? node)
    {
        var d = AlertmanagerSettings.Default;
        if (node is null) return d;
        node.AllowOnly("address", "slack", "repeat_interval");
        var slack = node.Optional("slack")?.AllowOnly("channel");
        var channelNode = slack?.Optional("channel");
        var channel = channelNode?.String() ?? d.SlackChannel;
        if (channelNode is not null && !Channel().IsMatch(channel))
            throw channelNode.Error($"'{channel}' must be a Slack channel such as #ops (or @user)");
        return new AlertmanagerSettings(
            node.Optional("address") is { } a ? Address(a) : d.Address,
            channel,
            Positive(node.Optional("repeat_interval"), d.RepeatInterval)
        );
    }

    private static AlertThresholds Alerts(DefinitionNode? node, TimeSpan lockTtl)
    {
        var d = AlertThresholds.Default with { LockTtl = lockTtl };
        if (node is null) return d;
        node.AllowOnly("instance_down_for", "error_budget", "error_window", "backup_max_age", "certificate_grace");
        return new AlertThresholds(
            Positive(node.Optional("instance_down_for"), d.InstanceDownFor),
            node.Optional("error_budget") is { } budget ? Ratio(budget) : d.ErrorBudget,
            Positive(node.Optional("error_window"), d.ErrorWindow),
            Positive(node.Optional("backup_max_age"), d.BackupMaxAge),
            Positive(node.Optional("certificate_grace"), d.CertificateGrace),
            lockTtl
        );
    }

    private static IReadOnlyList<string> Addresses(DefinitionNode? node) => node?.ItemsOrSelf().Select(Address).ToList() ?? [];

    /// <summary><c>host:port</c>, as Prometheus' static targets take it.</summary>
    private static string Address(DefinitionNode node)
    {
        var text = node.String();
        var match = HostPort().Match(text);
        if (!match.Success) throw node.Error($"'{text}' must be host:port (e.g. 127.0.0.1:9100)");
        var port = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if (port is < 1 or > 65535) throw node.Error($"port {port} must be between 1 and 65535");
        return text;
    }

    private static TimeSpan Positive(DefinitionNode? node, TimeSpan fallback)
    {
        if (node is null) return fallback;
        var value = node.Duration();
        if (value < TimeSpan.FromSeconds(1)) throw node.Error("must be at least 1s");
        if (value.Ticks % TimeSpan.TicksPerSecond != 0) throw node.Error("must be whole seconds (Prometheus durations)");
        return value;
    }

    /// <summary>A share: <c>1%</c> or <c>0.01</c>, above 0 and below 1.</summary>
    private static double Ratio(DefinitionNode node)
    {
        var text = node.String().Trim();
        var percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw node.Error($"'{text}' must be a share such as 1% or 0.01");
        if (percent) value /= 100;
        if (value is <= 0 or >= 1) throw node.Error($"'{text}' must be above 0% and below 100%");
        return value;
    }

    [GeneratedRegex(@"^(?:[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$")]
    private static partial Regex HostPort();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,40}$")]
    private static partial Regex DashboardUid();

    [GeneratedRegex(@"^[#@][a-z0-9._\-]+$")]
    private static partial Regex Channel();
}
