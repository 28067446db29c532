namespace Heartbeat;

internal sealed record HeartbeatResponse(string Message, string Version, string Instance);

internal sealed record StatsResponse(
    string Version,
    string Instance,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    long RequestsTotal,
    IReadOnlyList<RouteCount> Requests,
    long NotificationsAccepted);

internal sealed record RouteCount(string Route, int Status, long Count);

internal sealed record NotifyAccepted(string Id, string Status);

internal sealed record ErrorResponse(string Error);
