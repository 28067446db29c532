using Pipeline.CI;

namespace Pipeline.Monitoring;

/// <summary>
/// alertmanager.yml: every alert of the environment to one Slack receiver, grouped by alert, environment and group,
/// with resolved messages. The webhook URL is never in the file: Alertmanager reads it from <c>api_url_file</c>, a
/// mode-0600 file outside the artifacts that the Monitoring target writes from the <c>SlackWebhook</c> secret.
/// </summary>
public static class AlertmanagerConfig
{
    public static string Render(MonitoringDefinition m, string webhookFile)
    {
        var route = new YamlMapping()
            .Add("receiver", "slack")
            .Add("group_by", YamlSequence.Of(["alertname", "env", "group"]))
            .Add("group_wait", "30s")
            .Add("group_interval", "5m")
            .Add("repeat_interval", PromDuration.Format(m.Alertmanager.RepeatInterval));
        var slack = new YamlMapping()
            .Add("api_url_file", webhookFile)
            .Add("channel", m.Alertmanager.SlackChannel)
            .Add("send_resolved", YamlLiteral.Of(true))
            .Add("title", "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.env }})")
            .Add("text", "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}");
        var receiver = new YamlMapping().Add("name", "slack").Add("slack_configs", new YamlSequence([slack]));
        var document = new YamlMapping().Add("route", route).Add("receivers", new YamlSequence([receiver]));
        return YamlEmitter.Emit(document,
            $"Alertmanager of the {m.Environment} environment, rendered by ./build.sh Monitoring. The Slack webhook is read from\n"
            + "api_url_file (written from the SlackWebhook secret, mode 0600), never written here.");
    }
}
