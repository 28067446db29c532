using System.Text.Json;

namespace Heartbeat;

/// <summary>The four routes of the API.</summary>
internal static class Endpoints
{
    public static void Map(WebApplication app, HeartbeatSettings settings, RequestCounters counters)
    {
        app.MapGet("/heartbeat", () => new HeartbeatResponse("heartbeat is alive", settings.Version, settings.Instance));

        app.MapGet("/stats", () => Stats(settings, counters)).AddEndpointFilter(new BasicAuthFilter(settings));

        app.MapGet("/metrics", () => Results.Text(PrometheusText.Render(counters, settings), PrometheusText.ContentType));

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Heartbeat.Notify");
        app.MapPost("/notify", (HttpRequest request, CancellationToken ct) => Notify(request, counters, log, ct))
            .AddEndpointFilter(new BasicAuthFilter(settings));
    }

    private static StatsResponse Stats(HeartbeatSettings settings, RequestCounters counters)
    {
        var requests = counters.Snapshot().Select(entry => new RouteCount(entry.Route, entry.Status, entry.Count)).ToList();
        return new StatsResponse(settings.Version, settings.Instance, counters.StartedAt,
            Math.Round(counters.Uptime.TotalSeconds, 3), requests.Sum(entry => entry.Count), requests, counters.NotificationsAccepted);
    }

    private static async Task<IResult> Notify(HttpRequest request, RequestCounters counters, ILogger log, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return BadRequest("Content-Type must be application/json");

        JsonDocument document;
        try { document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct); }
        catch (JsonException) { return BadRequest("body: is not valid JSON"); }

        NotifyRequest? body;
        string? reason;
        using (document) (body, reason) = NotifyRequest.Parse(document.RootElement);
        if (body is null) return BadRequest(reason!);

        var id = Guid.NewGuid().ToString("n");
        counters.CountNotification();
        log.LogInformation("notification {Id} accepted for {Channel} ({Severity})", id, body.Channel, body.Severity);
        return Results.Json(
            new NotifyAccepted(id, "accepted"),
            HeartbeatJsonContext.Default.NotifyAccepted,
            statusCode: StatusCodes.Status202Accepted
        );
    }

    private static IResult BadRequest(string reason) =>
        Results.Json(new ErrorResponse(reason), HeartbeatJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status400BadRequest);
}
