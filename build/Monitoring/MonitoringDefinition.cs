namespace Pipeline.Monitoring;

/// <summary>
/// The <c>monitoring:</c> section of environments/&lt;env&gt;.yml: where Prometheus and Alertmanager answer, what they
/// scrape besides the groups (HAProxy's built-in exporter, node exporters), where alerts go and the alert thresholds.
/// </summary>
/// <param name="Environment">The environment's name: every target and rule carries it as the <c>env</c> label.</param>
/// <param name="Prometheus">Prometheus' own address and intervals.</param>
/// <param name="Haproxy">HAProxy Prometheus exporters (<c>host:port</c>, path <c>/metrics</c>).</param>
/// <param name="NodeExporters">node_exporter addresses (<c>host:port</c>); their textfile collector reads the steps' metrics.</param>
/// <param name="Alertmanager">Alertmanager's address and its Slack channel.</param>
/// <param name="Alerts">The thresholds of the default alert rules.</param>
public sealed record MonitoringDefinition(
    string Environment,
    PrometheusSettings Prometheus,
    IReadOnlyList<string> Haproxy,
    IReadOnlyList<string> NodeExporters,
    AlertmanagerSettings Alertmanager,
    AlertThresholds Alerts
)
{
    /// <summary>Where Deploy sends its deploy and rollback annotations (<c>monitoring/grafana</c>); null: none are sent.</summary>
    public GrafanaSettings? Grafana { get; init; }
}

/// <summary><c>monitoring/grafana</c>: the Grafana whose HTTP API receives deploy annotations (token: the <c>GrafanaToken</c>
/// secret).</summary>
/// <param name="Url">Grafana's root URL (http or https), e.g. https://grafana.example.com.</param>
/// <param name="DashboardUid">The dashboard the annotations belong to; null: organization annotations, shown by tag.</param>
public sealed record GrafanaSettings(Uri Url, string? DashboardUid);

/// <param name="Address">Where Prometheus answers (<c>host:port</c>): Grafana's datasource URL.</param>
public sealed record PrometheusSettings(string Address, TimeSpan ScrapeInterval, TimeSpan EvaluationInterval)
{
    public static PrometheusSettings Default { get; } = new("127.0.0.1:9090", TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
    public string Url => $"http://{Address}";
}

/// <param name="Address">Where Alertmanager answers (<c>host:port</c>): Prometheus sends alerts there.</param>
/// <param name="SlackChannel">The channel of the Slack receiver (the webhook comes from the <c>SlackWebhook</c> secret).</param>
public sealed record AlertmanagerSettings(string Address, string SlackChannel, TimeSpan RepeatInterval)
{
    public static AlertmanagerSettings Default { get; } = new("127.0.0.1:9093", "#ops", TimeSpan.FromHours(4));
}

/// <summary><c>monitoring/alerts</c>: when the default rules fire.</summary>
/// <param name="InstanceDownFor">How long a target must be down before InstanceDown fires.</param>
/// <param name="ErrorBudget">The share of 5xx responses of a backend over <paramref name="ErrorWindow"/> (0.01 = 1%).</param>
/// <param name="ErrorWindow">The rate window of the error ratio, and how long it must stay over budget.</param>
/// <param name="BackupMaxAge">A set whose last successful backup is older than this fires BackupTooOld (its schedule plus slack).</param>
/// <param name="CertificateGrace">How long a certificate may stay inside its renewal window before the alert fires.</param>
/// <param name="LockTtl">The deploy lock's TTL (<c>lock/ttl</c>): a lock held longer fires DeployLockHeldPastTtl.</param>
public sealed record AlertThresholds(
    TimeSpan InstanceDownFor,
    double ErrorBudget,
    TimeSpan ErrorWindow,
    TimeSpan BackupMaxAge,
    TimeSpan CertificateGrace,
    TimeSpan LockTtl
)
{
    public static AlertThresholds Default { get; } = new(
        TimeSpan.FromMinutes(1), 0.01, TimeSpan.FromMinutes(5), TimeSpan.FromHours(26), TimeSpan.FromDays(1), TimeSpan.FromMinutes(2)
    );
}

/// <summary>An instance group as monitoring sees it: its file_sd listing (absolute) and its HAProxy backend, when it has them.</summary>
public sealed record MonitoredGroup(string Name, string? FileSd, string? Backend)
{
    /// <summary>The Prometheus job of the group's members: the <c>job</c> label Deploy's file_sd gives them.</summary>
    public string Job(string environment) => $"{environment}-{Name}";
}
