using Microsoft.AspNetCore.Antiforgery;
using Pipeline.Server.Access;
using Pipeline.Server.Jobs;
using System.Text;
using static Pipeline.Server.Dashboard.Html;

namespace Pipeline.Server.Dashboard;

/// <summary>
/// The status dashboard: log in with a token (a form, then an HttpOnly SameSite=Strict cookie), the environments the token
/// may read, per environment its lock holder, jobs and deploy history with timelines, and a job's live log. Every form
/// carries ASP.NET Core's antiforgery token, checked before anything changes.
/// </summary>
public static class DashboardEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext http, IAntiforgery af) => LoginPage(http, af, null));
        app.MapPost("/login", async (HttpContext http, IAntiforgery af, TokenStore tokens) =>
        {
            if (await Refused(http, af) is { } refused) return refused;
            var token = (await http.Request.ReadFormAsync()).TryGetValue("token", out var t) ? t.ToString().Trim() : "";
            if (token.Length == 0 || await tokens.FindAsync(token, http.RequestAborted) is null)
                return LoginPage(http, af, "That token is not known (or was replaced).", StatusCodes.Status401Unauthorized);
            http.Response.Cookies.Append(CallerMiddleware.Cookie, token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = "/",
            });
            return Results.Redirect("/");
        });
        app.MapPost("/logout", async (HttpContext http, IAntiforgery af) =>
        {
            if (await Refused(http, af) is { } refused) return refused;
            http.Response.Cookies.Delete(CallerMiddleware.Cookie);
            return Results.Redirect("/login");
        });
        app.MapGet("/", async (HttpContext http, IAntiforgery af, StatusRefresher status) =>
        {
            if (http.Caller() is not { } caller) return Results.Redirect("/login");
            var now = DateTimeOffset.UtcNow;
            var rows = new StringBuilder();
            foreach (var env in status.Environments().Where(caller.Scopes.MayRead))
            {
                var s = await status.StatusAsync(env, http.RequestAborted);
                var lockText = s.Lock.Value is { } l ? $"held by {E(l.User)}@{E(l.Host)} since {Ago(l.StartedAt, now)}" : "free";
                var last = s.Deploys.Value?.FirstOrDefault();
                rows.Append($"""
                    <tr><td><a href="/environments/{E(env)}">{E(env)}</a></td><td>{lockText}</td>
                    <td class="{E(last?.Result)}">{(last is null ? "none" : $"{E(last.Group)}: {E(last.Result)} {Ago(last.StartedAt, now)}")}</td>
                    <td class="muted">{Ago(s.Lock.RefreshedAt, now)}</td></tr>
                    """);
            }
            return Page("Environments", $"""
                <table><tr><th>environment</th><th>deploy lock</th><th>last deploy</th><th>refreshed</th></tr>{rows}</table>
                """, caller.Name, Field(http, af));
        });
        app.MapGet("/environments/{env}", async (HttpContext http, IAntiforgery af, StatusRefresher status, JobStore store, string env) =>
        {
            if (http.Caller() is not { } caller) return Results.Redirect("/login");
            if (!status.Environments().Contains(env) || !caller.Scopes.MayRead(env)) return Results.NotFound();
            return Page(env, EnvironmentPage.Render(env, await status.StatusAsync(env, http.RequestAborted),
                await store.RecentAsync(env, 20, http.RequestAborted),
                caller, Field(http, af), DateTimeOffset.UtcNow), caller.Name, Field(http, af));
        });
        app.MapPost("/environments/{env}/jobs", async (HttpContext http, IAntiforgery af, JobSubmission submission, string env) =>
        {
            if (http.Caller() is not { } caller) return Results.Redirect("/login");
            if (await Refused(http, af) is { } refused) return refused;
            var form = await http.Request.ReadFormAsync();
            var targets = form["targets"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var outcome = await submission.SubmitAsync(caller, new JobRequest(targets, env, null), http.RequestAborted);
            return outcome.Job is { } job
                ? Results.Redirect($"/jobs/{job.Id}")
                : Page("Refused", $"<p>{E(outcome.Problem)}</p><p><a href=\"/environments/{E(env)}\">back</a></p>", caller.Name,
                    Field(http, af));
        });
        app.MapGet("/jobs/{id}", async (HttpContext http, IAntiforgery af, JobStore store, string id) =>
        {
            if (http.Caller() is not { } caller) return Results.Redirect("/login");
            if (await store.FindAsync(id, http.RequestAborted) is not { } job || !caller.Scopes.MayRead(job.Environment))
                return Results.NotFound();
            return Page($"job {job.Id}", JobPage.Render(job, caller, Field(http, af)), caller.Name, Field(http, af));
        });
        app.MapPost("/jobs/{id}/cancel", async (HttpContext http, IAntiforgery af, JobStore store, JobRunner runner, string id) =>
        {
            if (http.Caller() is not { } caller) return Results.Redirect("/login");
            if (await Refused(http, af) is { } refused) return refused;
            if (await store.FindAsync(id, http.RequestAborted) is not { } job || !caller.Scopes.MayRun(job.Environment, job.Targets))
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            await runner.CancelAsync(id, http.RequestAborted);
            return Results.Redirect($"/jobs/{id}");
        });
        app.MapGet("/deploys/{file}", (HttpContext http, ServerOptions options, string file) =>
        {
            // A deploy's timeline page, named <env>-<group>-<id>.timeline.html, for a token that may read that environment.
            if (http.Caller() is not { } caller) return Results.Redirect("/login");
            if (!file.EndsWith(".timeline.html", StringComparison.Ordinal) || file.Contains('/') || file.Contains(".."))
                return Results.NotFound();
            var path = Path.Combine(options.Root, "artifacts", "deploy", file);
            var env = file.Split('-')[0];
            return File.Exists(path) && caller.Scopes.MayRead(env) ? Results.File(path, "text/html; charset=utf-8") : Results.NotFound();
        });
    }

    private static IResult LoginPage(HttpContext http, IAntiforgery af, string? problem, int status = 200)
    {
        var page = Page("Log in", $"""
            {(problem is null ? "" : $"<p class=\"failed\">{E(problem)}</p>")}
            <form method="post" action="/login">{Field(http, af)}
            <label>API token <input type="password" name="token" autocomplete="off" autofocus></label> <button>Log in</button></form>
            <p class="muted">Mint one with <code>./build.sh ServeToken --token-name you --token-scopes env:staging,read-only</code>.</p>
            """);
        return status == 200 ? page : Results.Content(PageText(page), "text/html; charset=utf-8", statusCode: status);
    }

    private static string PageText(IResult page) => ((Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult)page).ResponseContent!;

    /// <summary>The hidden antiforgery field for a form of this page.</summary>
    private static string Field(HttpContext http, IAntiforgery af)
    {
        var tokens = af.GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    private static async Task<IResult?> Refused(HttpContext http, IAntiforgery af)
    {
        try
        {
            await af.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Problem("the form's antiforgery token is missing or wrong: reload the page and try again", statusCode: 400);
        }
    }
}
