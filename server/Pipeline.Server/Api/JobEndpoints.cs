using Pipeline.Server.Access;
using Pipeline.Server.Jobs;

namespace Pipeline.Server.Api;

/// <summary>The job API: <c>POST /api/jobs</c>, <c>GET /api/jobs[/{id}]</c>, <c>GET /api/jobs/{id}/log</c> (server-sent
/// events), <c>DELETE /api/jobs/{id}</c>. Every call needs a token; a job of an environment the token may not read is a 404.</summary>
public static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireRateLimiting(RateLimits.Api);
        api.MapPost("/jobs", async (HttpContext http, JobRequest request, JobSubmission submission) =>
        {
            if (http.Caller() is not { } caller) return Unauthorized();
            var outcome = await submission.SubmitAsync(caller, request, http.RequestAborted);
            return outcome.Job is { } job
                ? Results.Created($"/api/jobs/{job.Id}", JobView.Of(job))
                : Results.Problem(outcome.Problem, statusCode: outcome.Status);
        });
        api.MapGet("/jobs", async (HttpContext http, JobStore store, string? environment) =>
        {
            if (http.Caller() is not { } caller) return Unauthorized();
            var jobs = await store.RecentAsync(environment, 100, http.RequestAborted);
            return Results.Ok(jobs.Where(j => caller.Scopes.MayRead(j.Environment)).Select(JobView.Of));
        });
        api.MapGet("/jobs/{id}", async (HttpContext http, JobStore store, string id) =>
            await Readable(http, store, id) is { } job ? Results.Ok(JobView.Of(job)) : Missing(http));
        api.MapGet("/jobs/{id}/log", async (HttpContext http, JobStore store, JobLog log, string id) =>
        {
            if (await Readable(http, store, id) is not { } job) return Missing(http);
            return Results.Stream(async body => await LogStream.WriteAsync(http, body, store, log, job.Id), "text/event-stream");
        });
        api.MapDelete("/jobs/{id}", async (HttpContext http, JobStore store, JobRunner runner, string id) =>
        {
            if (await Readable(http, store, id) is not { } job) return Missing(http);
            if (!http.Caller()!.Scopes.MayRun(job.Environment, job.Targets))
                return Results.Problem($"token '{http.Caller()!.Name}' may not cancel jobs on {job.Environment}", statusCode: 403);
            return Results.Ok(JobView.Of((await runner.CancelAsync(id, http.RequestAborted))!));
        });
    }

    private static async Task<Job?> Readable(HttpContext http, JobStore store, string id) =>
        http.Caller() is { } caller && await store.FindAsync(id, http.RequestAborted) is { } job && caller.Scopes.MayRead(job.Environment)
            ? job
            : null;

    private static IResult Missing(HttpContext http) => http.Caller() is null ? Unauthorized() : Results.NotFound();

    private static IResult Unauthorized() =>
        Results.Problem("send a token: Authorization: Bearer <token> (./build.sh ServeToken mints one)", statusCode: 401);
}

/// <summary>A job as the API answers it (no secret: secret parameters never enter a job).</summary>
public sealed record JobView(string Id, string Status, string Environment, IReadOnlyList<string> Targets,
    IReadOnlyDictionary<string, string> Parameters, string RequestedBy, DateTimeOffset Created, DateTimeOffset? Started,
    DateTimeOffset? Finished, int? ExitCode)
{
    public static JobView Of(Job j) => new(j.Id, j.Status.ToString().ToLowerInvariant(), j.Environment, j.Targets, j.Parameters,
        j.RequestedBy, j.Created, j.Started, j.Finished, j.ExitCode);
}
