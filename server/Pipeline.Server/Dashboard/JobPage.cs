using Pipeline.Server.Access;
using Pipeline.Server.Jobs;
using static Pipeline.Server.Dashboard.Html;

namespace Pipeline.Server.Dashboard;

/// <summary>A job: what it runs, its status, a cancel button (tokens that may), and its log, followed live through the API's
/// server-sent events by a few lines of inline script (no front-end build).</summary>
public static class JobPage
{
    public static string Render(Job job, Caller caller, string antiforgery)
    {
        var status = job.Status.ToString().ToLowerInvariant();
        var cancel = !job.IsFinished && caller.Scopes.MayRun(job.Environment, job.Targets)
            ? $"<form class=\"inline\" method=\"post\" action=\"/jobs/{E(job.Id)}/cancel\">{antiforgery}"
                + "<button>Cancel (SIGTERM)</button></form>"
            : "";
        return $$"""
            <p><a href="/environments/{{E(job.Environment)}}">{{E(job.Environment)}}</a>: <code>{{E(string.Join(' ', JobCommand.Arguments(job)))}}</code>
            by {{E(job.RequestedBy)}} — <strong id="status" class="{{E(status)}}">{{E(status)}}</strong> {{cancel}}</p>
            <pre id="log"></pre>
            <script>
            const log = document.getElementById('log'), status = document.getElementById('status');
            const source = new EventSource('/api/jobs/{{E(job.Id)}}/log');
            source.onmessage = e => {
              if (status.textContent === 'queued') { status.textContent = 'running'; status.className = 'running'; }
              log.textContent += e.data + '\n'; log.scrollTop = log.scrollHeight;
            };
            source.addEventListener('end', e => { status.textContent = e.data; status.className = e.data; source.close(); });
            </script>
            """;
    }
}
