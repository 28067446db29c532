namespace Pipeline.Server.Access;

/// <summary>
/// Finds the caller from <c>Authorization: Bearer &lt;token&gt;</c> (the API) or the dashboard's cookie, and writes every
/// request into the audit log once answered: method and path (never the query string or a body), the status, who.
/// </summary>
public sealed class CallerMiddleware(RequestDelegate next, TokenStore tokens, AuditLog audit)
{
    public const string Cookie = "pipeline_token";

    public async Task InvokeAsync(HttpContext context)
    {
        var token = context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header["Bearer ".Length..].Trim()
            : context.Request.Cookies[Cookie];
        if (!string.IsNullOrEmpty(token) && await tokens.FindAsync(token, context.RequestAborted) is { } caller)
            context.Items[Caller.ItemKey] = caller;
        try { await next(context); }
        finally
        {
            var actor = (context.Items[Caller.ItemKey] as Caller)?.Name ?? (context.Items["pipeline.actor"] as string) ?? "anonymous";
            if (context.Request.Path != "/healthz")
                await audit.WriteAsync(actor, $"http.{context.Request.Method}", context.Request.Path.ToString(),
                    context.Response.StatusCode,
                    context.Connection.RemoteIpAddress?.ToString() ?? "", CancellationToken.None);
        }
    }
}

public static class CallerExtensions
{
    public static Caller? Caller(this HttpContext context) => context.Items[Access.Caller.ItemKey] as Caller;
}
