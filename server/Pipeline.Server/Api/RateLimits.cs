using System.Threading.RateLimiting;

namespace Pipeline.Server.Api;

/// <summary>ASP.NET Core's rate limiter on the API and the hooks: a fixed window per token (or per address without one).</summary>
public static class RateLimits
{
    public const string Api = "api";

    public static IServiceCollection AddPipelineRateLimits(this IServiceCollection services, int perMinute) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Api, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Request.Headers.Authorization.ToString() is { Length: > 0 } auth
                    ? "token:" + Access.ApiToken.Hash(auth)
                    : "address:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
}
