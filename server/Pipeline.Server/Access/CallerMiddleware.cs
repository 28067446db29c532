namespace Pipeline.Server.Access;

/// <summary>
/// Finds the caller from <c>Authorization: Bearer &lt;token&gt;</c> (the API) or the dashboard's cookie, and writes every
/// request into the audit log once answered: method and path (never the query string or a body), the status, who.
/// </summary>
public sealed class CallerMiddleware(RequestDelegate next, TokenStore tokens, AuditLog audit)
{
    public const string Cookie = "pipeline_token";

    /// <summary>The dashboard's cookie opens its pages and the API's reads (its live log); the API's changes need the bearer
    /// header, so that no other site's form can start or cancel a job with a logged-in browser's cookie.</summary>
    private static bool CookieAllowed(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method);

    public async Task InvokeAsync(HttpContext context)
    {
        var token = context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header["Bearer ".Length..].Trim()
            : CookieAllowed(context.Request) ? context.Request.Cookies[Cookie] : null;
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
