using System.Globalization;
using System.Text;

namespace Pipeline.Monitoring;

/// <summary>
/// The delivery metrics as the deploy report's page (<c>artifacts/deploy/delivery-&lt;env&gt;.md</c>: the four figures,
/// then every deploy of the window with what it counted towards) and as textfile metrics
/// (<c>artifacts/metrics/delivery-&lt;env&gt;.prom</c>; a figure with no data yet has no sample).
/// </summary>
public static class DeliveryReport
{
    public static readonly IReadOnlyList<MetricFamily> Families =
    [
        new(MetricNames.DeliveryDeploys, "Deploys of the environment in the delivery window, by result (succeeded, failed)."),
        new(MetricNames.DeliveryDeploysPerDay, "Deployment frequency: deploys that went live per day over the delivery window."),
        new(MetricNames.DeliveryLeadTime,
            "Lead time for changes: median seconds from a commit to the end of the deploy that took it live."),
        new(MetricNames.DeliveryChangeFailureRate, "Change-failure rate: deploys that rolled back or halted, over all deploys."),
        new(MetricNames.DeliveryTimeToRestore, "Time to restore: median seconds from a failed deploy's start until a good version ran."),
    ];

    public static string PageFile(string deployOutputs, string environment) => Path.Combine(deployOutputs, $"delivery-{environment}.md");
    public static string MetricsFile(string metricsDirectory, string environment) =>
        Path.Combine(metricsDirectory, $"delivery-{environment}.prom");

    public static IReadOnlyList<MetricSample> Samples(DeliveryMetrics d)
    {
        (string, string)[] env = [("env", d.Environment)];
        var samples = new List<MetricSample>
        {
            new(MetricNames.DeliveryDeploys, [.. env, ("result", "succeeded")], d.Live),
            new(MetricNames.DeliveryDeploys, [.. env, ("result", "failed")], d.Failed),
            new(MetricNames.DeliveryDeploysPerDay, env, Math.Round(d.DeploysPerDay, 4)),
        };
        if (d.LeadTime is { } lead) samples.Add(new(MetricNames.DeliveryLeadTime, env, Math.Round(lead.TotalSeconds, 1)));
        if (d.ChangeFailureRate is { } rate) samples.Add(new(MetricNames.DeliveryChangeFailureRate, env, Math.Round(rate, 4)));
        if (d.TimeToRestore is { } restore) samples.Add(new(MetricNames.DeliveryTimeToRestore, env, Math.Round(restore.TotalSeconds, 1)));
        return samples;
    }

    public static string Page(DeliveryMetrics d)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Delivery metrics: {d.Environment}\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"From the audit trail (`artifacts/deploy/audit.jsonl`) and the git history, {Time(d.From)} to {Time(d.To)}: "
            + $"{d.Deploys.Count} deploys, {d.Live} live, {d.Failed} failed ({d.RolledBack} rolled back).\n\n");
        md.Append("| Metric | Value | How |\n|---|---:|---|\n");
        var perDay = d.DeploysPerDay.ToString("0.##", CultureInfo.InvariantCulture);
        md.Append(CultureInfo.InvariantCulture, $"| Deployment frequency | {perDay} per day | ")
            .Append("deploys that went live, per day since the window's first deploy (at least one day) |\n");
        md.Append(CultureInfo.InvariantCulture,
            $"| Lead time for changes | {Duration(d.LeadTime)} | median, from each commit to the end of the deploy that took it live |\n");
        md.Append(CultureInfo.InvariantCulture,
                $"| Change-failure rate | {(d.ChangeFailureRate is { } r ? r.ToString("0.#%", CultureInfo.InvariantCulture) : "–")} | ")
            .Append("deploys that rolled back or halted, over all deploys |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Time to restore | {Duration(d.TimeToRestore)} | ")
            .Append("median, from a failed deploy's start until a good version ran (a rollback's end; for a halted deploy, the next ")
            .Append("live one's) |\n");
        md.Append("\n## Deploys\n\n| Deploy | Groups | Result | Started | Took | Commit | Lead time | Restored after |\n");
        md.Append("|---|---|---|---|---:|---|---:|---:|\n");
        foreach (var x in d.Deploys.OrderByDescending(x => x.StartedAt))
        {
            var commit = x.Commit is { } c ? c[..Math.Min(12, c.Length)] : "–";
            var lead = x.LeadTimes.Count == 0 ? "–" : $"{Duration(DeliveryMetrics.Median(x.LeadTimes))} ({x.LeadTimes.Count} commits)";
            md.Append(CultureInfo.InvariantCulture,
                $"| {x.Deploy} | {string.Join(", ", x.Groups)} | {x.Result} | {Time(x.StartedAt)} | {Duration(x.FinishedAt - x.StartedAt)} | "
                + $"{commit} | {lead} | {(x.Failed ? Duration(x.Restore) : "")} |\n");
        }
        return md.ToString();
    }

    public static void Write(string deployOutputs, string metricsDirectory, DeliveryMetrics d)
    {
        Engine.MaskedFile.WriteAtomically(PageFile(deployOutputs, d.Environment), Page(d));
        TextfileMetrics.Write(MetricsFile(metricsDirectory, d.Environment), Families, Samples(d), "env");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan? t) => t switch
    {
        null => "–",
        { TotalDays: >= 1 } d => d.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " d",
        { TotalHours: >= 1 } h => h.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h",
        { TotalMinutes: >= 1 } m => m.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min",
        var s => s.Value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s",
    };
}
