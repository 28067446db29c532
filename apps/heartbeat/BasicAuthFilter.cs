using System.Security.Cryptography;
using System.Text;

namespace Heartbeat;

/// <summary>
/// Guards an endpoint with HTTP basic auth against HEARTBEAT_USER / HEARTBEAT_PASSWORD.
/// No credentials configured means nobody gets in. Failures answer 401 with a challenge.
/// </summary>
internal sealed class BasicAuthFilter(HeartbeatSettings settings) : IEndpointFilter
{
    public const string Challenge = "Basic realm=\"heartbeat\", charset=\"UTF-8\"";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (IsAuthorized(context.HttpContext.Request.Headers.Authorization.ToString()))
            return await next(context);

        context.HttpContext.Response.Headers.WWWAuthenticate = Challenge;
        return Results.Json(new ErrorResponse("authentication required"), HeartbeatJsonContext.Default.ErrorResponse,
            statusCode: StatusCodes.Status401Unauthorized);
    }

    public bool IsAuthorized(string header)
    {
        if (!settings.AuthConfigured) return false;
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;

        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
        catch (FormatException) { return false; }

        var colon = decoded.IndexOf(':');
        if (colon < 0) return false;
        return FixedTimeEquals(decoded[..colon], settings.User!) & FixedTimeEquals(decoded[(colon + 1)..], settings.Password!);
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
