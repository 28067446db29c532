using System.Text;
using static Pipeline.Server.Dashboard.EnvironmentPage;
using static Pipeline.Server.Dashboard.Html;

namespace Pipeline.Server.Dashboard;

/// <summary>The environment page's state sections, each a table (and a picture where one reads better) with its refresh time.</summary>
public static class StatusSections
{
    /// <summary>How old a set's last snapshot may be before its bar turns red: the alert rules' default backup_max_age.</summary>
    public static readonly TimeSpan BackupMaxAge = TimeSpan.FromHours(26);

    public static void Instances(StringBuilder html, EnvironmentStatus status, DateTimeOffset now)
    {
        html.Append("<h2>Instances</h2>");
        foreach (var g in status.Groups.Value ?? [])
        {
            html.Append($"<h3 id=\"group-{E(g.Name)}\">{E(g.Name)}</h3><p>");
            html.Append(g.LastDeploy is null ? "No deploy recorded in the metrics."
                : $"Last deploy {E(g.DeployId)} {Ago(g.LastDeploy, now)}, {(g.Succeeded == true ? "<span class=\"succeeded\">succeeded</span>"
                    : "<span class=\"failed\">failed</span>")}, image <code>{E(g.Image)}</code>; {g.Rollbacks:0} rollback(s) so far.");
            html.Append("</p><table class=\"instances\"><tr><th>instance</th><th>address</th><th>image</th><th>version</th>")
                .Append("<th>health</th></tr>");
            foreach (var i in (status.Instances.Value ?? []).Where(i => i.Group == g.Name))
                html.Append($"""
                    <tr><td>{E(i.Name)}</td><td>{E(i.Address)}</td><td><code title="{E(i.Image)}">{E(Short(i.Image))}</code></td>
                    <td class="version">{E(i.Version)}</td><td class="{(i.Healthy ? "succeeded" : "failed")}">{(i.Healthy ? "healthy" : "unhealthy")}
                    <span class="muted">{E(i.Health)}</span></td></tr>
                    """);
            html.Append("</table>");
        }
        html.Append(Refreshed(status.Instances.RefreshedAt, status.Instances.Problem ?? status.Groups.Problem, now));
    }

    public static void Certificates(StringBuilder html, EnvironmentStatus status, DateTimeOffset now)
    {
        html.Append("<h2>Certificates</h2><table><tr><th>names</th><th>expires</th><th>renewal window</th></tr>");
        foreach (var c in status.Certificates.Value ?? [])
            html.Append($"""
                <tr><td>{E(string.Join(", ", c.Names))}</td><td>{(c.Expires is { } x ? $"{E(x.ToString("u"))} ({In(x, now)})" : "not issued")}</td>
                <td>{(c.RenewFrom is { } r ? (r <= now ? "<span class=\"running\">open since " : "opens ") + E(r.ToString("u"))
                    + (r <= now ? "</span>" : "") : "")}</td></tr>
                """);
        html.Append("</table>").Append(Refreshed(status.Certificates.RefreshedAt, status.Certificates.Problem, now));
    }

    public static void Backups(StringBuilder html, EnvironmentStatus status, DateTimeOffset now)
    {
        var backups = status.Backups.Value ?? [];
        html.Append("<h2>Backups</h2><table><tr><th>set</th><th>last snapshot</th><th>size</th><th>files</th><th>last verify</th></tr>");
        foreach (var b in backups)
            html.Append($"""
                <tr><td>{E(b.Set)}</td><td>{(b.LastSnapshot is null ? "none" : Ago(b.LastSnapshot, now))}</td>
                <td>{(b.Bytes is { } bytes ? E(Pictures.Bytes(bytes)) : "")}</td><td>{b.Files:0}</td>
                <td>{(b.LastVerify is null ? "never" : $"{Ago(b.LastVerify, now)}, <span class=\"{(b.VerifyOk == true ? "succeeded\">whole"
                    : "failed\">problems found")}</span>")}</td></tr>
                """);
        html.Append("</table>")
            .Append(Pictures.BackupAges(backups, now, BackupMaxAge))
            .Append(Pictures.BackupSizes(status.BackupHistory.Value ?? []))
            .Append(Refreshed(status.Backups.RefreshedAt, status.Backups.Problem ?? status.BackupHistory.Problem, now));
    }

    public static void Dns(StringBuilder html, EnvironmentStatus status, DateTimeOffset now)
    {
        html.Append("<h2>DNS records</h2>");
        if (status.Dns.Value is not { Count: > 0 } records) html.Append("<p class=\"muted\">The Dns step has written no records here.</p>");
        else
        {
            html.Append("<table><tr><th>name</th><th>type</th><th>ttl</th><th>values</th><th>points at</th></tr>");
            foreach (var r in records)
                html.Append($"""
                    <tr><td>{E(r.Name)}</td><td>{E(r.Type)}</td><td>{r.Ttl}</td><td>{E(string.Join(", ", r.Values))}</td>
                    <td>{E(string.Join(", ", r.PointsAt))}</td></tr>
                    """);
            html.Append("</table>");
        }
        html.Append(Refreshed(status.Dns.RefreshedAt, status.Dns.Problem, now));
    }

    public static void Freshness(StringBuilder html, EnvironmentStatus status, DateTimeOffset now)
    {
        html.Append("<h2>Freshness metrics</h2><table><tr><th>file</th><th>metric</th><th>labels</th><th>value</th></tr>");
        foreach (var s in status.Freshness.Value ?? [])
            html.Append($"""
                <tr><td class="muted">{E(s.File)}</td><td><code>{E(s.Name)}</code></td>
                <td>{E(string.Join(", ", s.Sample.Labels.Select(l => $"{l.Key}={l.Value}")))}</td>
                <td>{(s.Time is { } t ? Ago(t, now) : E(s.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))}</td></tr>
                """);
        html.Append("</table>").Append(Refreshed(status.Freshness.RefreshedAt, status.Freshness.Problem, now));
    }

    private static string Short(string? image) =>
        image is null ? "" : image.IndexOf("sha256:", StringComparison.Ordinal) is var at and >= 0 && image.Length > at + 19
            ? image[..(at + 19)] + "…" : image;

    private static string In(DateTimeOffset time, DateTimeOffset now) =>
        time < now ? "expired" : $"in {(time - now).TotalDays:0.#} days";
}
