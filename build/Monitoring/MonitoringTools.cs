using Pipeline.Engine;

namespace Pipeline.Monitoring;

/// <summary>
/// Debian's Prometheus tools and the argv of each check (pure: no process is started here). promtool comes with the
/// <c>prometheus</c> package, amtool with <c>prometheus-alertmanager</c>.
/// </summary>
public static class MonitoringTools
{
    public static Tool Prometheus { get; } = Tool.Apt("prometheus");
    public static Tool Promtool { get; } = Tool.Apt("promtool", "prometheus");
    public static Tool Amtool { get; } = Tool.Apt("amtool", "prometheus-alertmanager");

    /// <summary>Checks prometheus.yml and the rule files it names.</summary>
    public static IReadOnlyList<string> CheckConfig(string prometheusYml) => ["check", "config", prometheusYml];

    public static IReadOnlyList<string> CheckRules(string rulesYml) => ["check", "rules", rulesYml];

    /// <summary>Runs a promtool rules unit-test file (its <c>rule_files</c> are relative to it).</summary>
    public static IReadOnlyList<string> TestRules(string testYml) => ["test", "rules", testYml];

    public static IReadOnlyList<string> CheckAlertmanager(string alertmanagerYml) => ["check-config", alertmanagerYml];
}
