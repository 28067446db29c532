using Pipeline.CI;
using System.Globalization;

namespace Pipeline.Monitoring;

/// <summary>
/// The default alert rules of an environment, with the thresholds of its <c>monitoring/alerts</c>: an instance down, a
/// backend's error rate over its budget, a certificate left inside its renewal window, a backup older than its
/// schedule, a deploy that rolled back, and a deploy lock held past its TTL. Every rule selects the environment's
/// series (<c>env</c>, which each scrape target carries).
/// </summary>
public static class DefaultAlertRules
{
    public static IReadOnlyList<AlertRule> For(MonitoringDefinition m)
    {
        var env = $"env=\"{m.Environment}\"";
        var a = m.Alerts;
        var window = PromDuration.Format(a.ErrorWindow);
        return
        [
            new("InstanceDown", $"{MetricNames.Up}{{{env}}} == 0", a.InstanceDownFor, "page",
                "{{ $labels.instance }} of {{ $labels.job }} has been down for more than " + PromDuration.Format(a.InstanceDownFor)),
            new("ErrorRateOverBudget",
                $"sum by (proxy) (rate({MetricNames.HaproxyResponses}{{{env},code=\"5xx\"}}[{window}]))"
                + $" / sum by (proxy) (rate({MetricNames.HaproxyResponses}{{{env}}}[{window}]))"
                + $" > {a.ErrorBudget.ToString("0.######", CultureInfo.InvariantCulture)}",
                a.ErrorWindow, "page",
                $"backend {{{{ $labels.proxy }}}} answers {{{{ $value | humanizePercentage }}}} 5xx, over its budget of "
                + $"{(a.ErrorBudget * 100).ToString("0.###", CultureInfo.InvariantCulture)}%"),
            new("CertificateInRenewalWindow", $"time() >= {MetricNames.CertificateRenewalStart}{{{env}}}", a.CertificateGrace, "ticket",
                "certificate {{ $labels.cert }} is inside its renewal window and was not renewed: run ./build.sh Certificates"),
            new("BackupTooOld", $"time() - {MetricNames.BackupLastSuccess}{{{env}}} > {PromDuration.Seconds(a.BackupMaxAge)}",
                TimeSpan.Zero, "ticket",
                $"the last successful backup of set {{{{ $labels.set }}}} is older than {PromDuration.Format(a.BackupMaxAge)}"),
            new("DeployRolledBack", $"{MetricNames.DeployRolledBack}{{{env}}} == 1", TimeSpan.Zero, "ticket",
                "the last deploy of group {{ $labels.group }} rolled back"),
            new("DeployLockHeldPastTtl", $"time() - {MetricNames.DeployLockHeldSince}{{{env}}} > {PromDuration.Seconds(a.LockTtl)}",
                TimeSpan.Zero, "ticket",
                $"the deploy lock has been held for more than its TTL of {PromDuration.Format(a.LockTtl)} (stale? ./build.sh Unlock)"),
        ];
    }

    /// <summary>The rules file: one group named after the environment.</summary>
    public static string Render(MonitoringDefinition m, IReadOnlyList<AlertRule> rules)
    {
        var items = rules.Select(r =>
        {
            var rule = new YamlMapping().Add("alert", r.Name).Add("expr", r.Expression);
            if (r.For > TimeSpan.Zero) rule.Add("for", PromDuration.Format(r.For));
            return (YamlNode)rule
                .Add("labels", new YamlMapping().Add("severity", r.Severity))
                .Add("annotations", new YamlMapping().Add("summary", r.Summary));
        }).ToList();
        var group = new YamlMapping().Add("name", $"pipeline-{m.Environment}").Add("rules", new YamlSequence(items));
        return YamlEmitter.Emit(new YamlMapping().Add("groups", new YamlSequence([group])),
            $"Alert rules of the {m.Environment} environment, rendered by ./build.sh Monitoring from environments/{m.Environment}.yml.");
    }
}
