namespace Pipeline.Monitoring;

/// <summary>One Prometheus alerting rule.</summary>
/// <param name="Name">The alert's name (<c>alertname</c>).</param>
/// <param name="Expression">The PromQL expression; every series it returns is an alert.</param>
/// <param name="For">How long the expression must hold before the alert fires (zero: at once).</param>
/// <param name="Summary">The alert's summary annotation (Prometheus template text).</param>
public sealed record AlertRule(string Name, string Expression, TimeSpan For, string Severity, string Summary);
