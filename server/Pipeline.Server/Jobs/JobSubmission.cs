using Pipeline.Server.Access;

namespace Pipeline.Server.Jobs;

/// <summary>The one way into the queue (API, dashboard form, Slack, GitHub): checked, authorised against the caller's scopes,
/// stored, audited.</summary>
public sealed class JobSubmission(JobStore store, JobRunner runner, AuditLog audit, ServerOptions options)
{
    public sealed record Outcome(Job? Job, int Status, string? Problem);

    public async Task<Outcome> SubmitAsync(Caller caller, JobRequest request, CancellationToken ct)
    {
        if (request.Problem(options.SecretVariables, options.EnvironmentsDirectory) is { } problem)
            return await RefuseAsync(caller, request, StatusCodes.Status400BadRequest, problem, ct);
        if (!caller.Scopes.MayRun(request.Environment!, request.Targets!))
            return await RefuseAsync(caller, request, StatusCodes.Status403Forbidden,
                $"token '{caller.Name}' ({caller.Scopes}) may not run {string.Join(' ', request.Targets!)} on {request.Environment}", ct);
        var job = await store.EnqueueAsync(caller.Name, request.Environment!, request.Targets!,
            request.Parameters ?? new Dictionary<string, string>(), ct);
        await audit.WriteAsync(caller.Name, "job.queued", $"jobs/{job.Id}", StatusCodes.Status201Created,
            $"{job.Environment}: {string.Join(' ', job.Targets)}", ct);
        runner.Wake();
        return new Outcome(job, StatusCodes.Status201Created, null);
    }

    private async Task<Outcome> RefuseAsync(Caller caller, JobRequest request, int status, string problem, CancellationToken ct)
    {
        await audit.WriteAsync(caller.Name, "job.refused", $"environments/{request.Environment}", status, problem, ct);
        return new Outcome(null, status, problem);
    }
}
