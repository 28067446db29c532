using Pipeline.Server.Access;
using Pipeline.Server.Api;
using Pipeline.Server.Jobs;
using System.Text.Json;

namespace Pipeline.Server.Hooks;

/// <summary>
/// ChatOps and webhooks: <c>POST /slack/commands</c> (<c>/pipeline Deploy staging</c>, verified with SLACK_SIGNING_SECRET,
/// acting with the token minted for the Slack user) and <c>POST /github/webhook</c> (verified with GITHUB_WEBHOOK_SECRET; a
/// push to the configured branch starts the configured targets). Each refuses a bad signature, a stale timestamp and a replay.
/// </summary>
public static class HookEndpoints
{
    public const string SlackSecretVariable = "SLACK_SIGNING_SECRET";
    public const string GitHubSecretVariable = "GITHUB_WEBHOOK_SECRET";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/slack/commands", SlackAsync).RequireRateLimiting(RateLimits.Api).DisableAntiforgery();
        app.MapPost("/github/webhook", GitHubAsync).RequireRateLimiting(RateLimits.Api).DisableAntiforgery();
    }

    private static async Task<IResult> SlackAsync(HttpContext http, ReplayGuard replays, TokenStore tokens, JobSubmission submission,
        SlackProgress progress)
    {
        http.Items["pipeline.actor"] = "slack";
        if (Environment.GetEnvironmentVariable(SlackSecretVariable) is not { Length: > 0 } secret)
            return Results.Problem($"Slack commands are off: {SlackSecretVariable} is not set", statusCode: 404);
        var body = await ReadBodyAsync(http);
        var signature = http.Request.Headers["X-Slack-Signature"].ToString();
        if (SlackSignature.Problem(secret, http.Request.Headers["X-Slack-Request-Timestamp"], signature, body, DateTimeOffset.UtcNow)
            is { } problem)
            return Results.Problem(problem, statusCode: 401);
        if (!await replays.FirstSeenAsync("slack:" + signature, SlackSignature.Window * 2, http.RequestAborted))
            return Results.Problem("replay: this signed request was already received", statusCode: 401);

        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
        var user = form.TryGetValue("user_id", out var u) ? u.ToString() : "";
        http.Items["pipeline.actor"] = $"slack:{user}";
        if (await tokens.FindSlackUserAsync(user, http.RequestAborted) is not { } caller)
            return Ephemeral($"You ({user}) are not on Pipeline's access list: ask for a token minted with --slack-user {user}.");
        var words = (form.TryGetValue("text", out var t) ? t.ToString() : "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2) return Ephemeral("Usage: /pipeline <Target> [<Target>…] <environment>, e.g. /pipeline Deploy staging");
        var outcome = await submission.SubmitAsync(caller with { Name = $"slack:{user}" },
            new JobRequest(words[..^1], words[^1], null), http.RequestAborted);
        if (outcome.Job is not { } job) return Ephemeral($"Refused: {outcome.Problem}");
        if (form.TryGetValue("response_url", out var responseUrl)) progress.Follow(job.Id, responseUrl.ToString());
        var queued = $"Job {job.Id} queued: {string.Join(' ', job.Targets)} on {job.Environment}.";
        return Results.Json(new { response_type = "in_channel", text = queued });
    }

    private static async Task<IResult> GitHubAsync(HttpContext http, ReplayGuard replays, JobSubmission submission, ServerOptions options)
    {
        http.Items["pipeline.actor"] = "github";
        if (Environment.GetEnvironmentVariable(GitHubSecretVariable) is not { Length: > 0 } secret)
            return Results.Problem($"GitHub webhooks are off: {GitHubSecretVariable} is not set", statusCode: 404);
        var body = await ReadBodyAsync(http);
        if (!GitHubSignature.IsValid(secret, http.Request.Headers["X-Hub-Signature-256"], body))
            return Results.Problem("bad signature", statusCode: 401);
        if (http.Request.Headers["X-GitHub-Delivery"].ToString() is not { Length: > 0 } delivery)
            return Results.Problem("missing X-GitHub-Delivery", statusCode: 400);
        if (!await replays.FirstSeenAsync("github:" + delivery, TimeSpan.FromDays(7), http.RequestAborted))
            return Results.Problem("replay: this delivery was already received", statusCode: 401);
        var kind = http.Request.Headers["X-GitHub-Event"].ToString();
        if (kind == "ping") return Results.Ok(new { message = "pong" });
        if (kind != "push") return Results.Accepted(value: new { message = $"event '{kind}' ignored" });
        using var payload = JsonDocument.Parse(body);
        var gitRef = payload.RootElement.TryGetProperty("ref", out var r) ? r.GetString() : null;
        if (gitRef != $"refs/heads/{options.GitHub.Branch}")
            return Results.Accepted(value: new { message = $"push to {gitRef} ignored (only {options.GitHub.Branch} starts a job)" });
        var caller = new Caller("github", new TokenScopes([options.GitHub.Environment], ["*"], false));
        var outcome = await submission.SubmitAsync(caller,
            new JobRequest(options.GitHub.Targets, options.GitHub.Environment, null), http.RequestAborted);
        return outcome.Job is { } job
            ? Results.Accepted($"/api/jobs/{job.Id}", new { id = job.Id })
            : Results.Problem(outcome.Problem, statusCode: outcome.Status);
    }

    private static IResult Ephemeral(string text) => Results.Json(new { response_type = "ephemeral", text });

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return buffer.ToArray();
    }
}
