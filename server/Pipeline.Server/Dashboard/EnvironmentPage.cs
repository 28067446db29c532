using Pipeline.Server.Access;
using Pipeline.Server.Jobs;
using System.Text;
using static Pipeline.Server.Dashboard.Html;

namespace Pipeline.Server.Dashboard;

/// <summary>One environment: its groups' instances, the lock holder and its age, a form to start targets (tokens that may), the
/// jobs, the deploy history with the rollout timeline and each deploy's own, then certificates, backups, DNS records and the
/// freshness metrics (<see cref="StatusSections"/>).</summary>
public static class EnvironmentPage
{
    public static string Render(string env, EnvironmentStatus status, IReadOnlyList<Job> jobs, Caller caller, string antiforgery,
        DateTimeOffset now)
    {
        var html = new StringBuilder();
        StatusSections.Instances(html, status, now);
        html.Append("<h2>Deploy lock</h2>");
        html.Append(status.Lock.Value is { } l
            ? $"<p>Held by {E(l.User)}@{E(l.Host)} (pid {l.Pid}, version {E(l.Version)}) since {Ago(l.StartedAt, now)}, "
                + $"expires {E(l.ExpiresAt.ToString("u"))}.</p>"
            : "<p>Free.</p>");
        html.Append(Refreshed(status.Lock.RefreshedAt, status.Lock.Problem, now));
        if (!caller.Scopes.ReadOnly)
            html.Append($"""
                <h2>Start a job</h2><form method="post" action="/environments/{E(env)}/jobs">{antiforgery}
                <label>Targets <input type="text" name="targets" placeholder="Deploy" required></label> <button>Start</button></form>
                """);
        html.Append("<h2>Jobs</h2><table><tr><th>job</th><th>targets</th><th>status</th><th>by</th><th>created</th></tr>");
        foreach (var job in jobs)
            html.Append($"""
                <tr><td><a href="/jobs/{E(job.Id)}">{E(job.Id)}</a></td><td>{E(string.Join(' ', job.Targets))}</td>
                <td class="{E(job.Status.ToString().ToLowerInvariant())}">{E(job.Status.ToString().ToLowerInvariant())}</td>
                <td>{E(job.RequestedBy)}</td><td>{Ago(job.Created, now)}</td></tr>
                """);
        html.Append("</table><h2>Deploy history</h2>");
        html.Append(Pictures.RolloutTimeline(status.Deploys.Value ?? [], now));
        html.Append("<table><tr><th>deploy</th><th>group</th><th>result</th><th>by</th><th>started</th><th>took</th>")
            .Append("<th>timeline</th></tr>");
        foreach (var d in status.Deploys.Value ?? [])
            html.Append($"""
                <tr><td>{E(d.Deploy)}</td><td>{E(d.Group)}</td><td class="{E(d.Result.Replace(' ', '-'))}" title="{E(d.Message)}">{E(d.Result)}</td>
                <td>{E(d.User)}</td><td>{Ago(d.StartedAt, now)}</td><td>{d.Seconds:0}s, {d.Changes} change(s)</td>
                <td>{(d.Timeline is null ? "" : $"<a href=\"/deploys/{E(d.Timeline)}\">timeline</a>")}</td></tr>
                """);
        html.Append("</table>").Append(Refreshed(status.Deploys.RefreshedAt, status.Deploys.Problem, now));
        StatusSections.Certificates(html, status, now);
        StatusSections.Backups(html, status, now);
        StatusSections.Dns(html, status, now);
        StatusSections.Freshness(html, status, now);
        return html.ToString();
    }

    public static string Refreshed(DateTimeOffset at, string? problem, DateTimeOffset now) =>
        $"<p class=\"muted\">refreshed {Ago(at, now)}{(problem is null ? "" : $": could not read ({E(problem)})")}</p>";
}
