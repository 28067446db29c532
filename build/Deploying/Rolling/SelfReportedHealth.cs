using Pipeline.Deploying.Planning;

namespace Pipeline.Deploying.Rolling;

/// <summary>
/// What an instance says of its own health (Docker's <c>HEALTHCHECK</c>, run inside the container), beside what the
/// health gate sees from outside. The two disagree when the app answers inside but not on the published port: then
/// waiting out <c>start_timeout</c> cannot help (see <see cref="HealthGate"/>).
/// </summary>
public interface ISelfReportedHealth
{
    /// <summary>True when the instance reports itself healthy; false while it is starting or unhealthy; null when it has
    /// no health check of its own.</summary>
    Task<bool?> ReportsHealthyAsync(ObservedInstance instance, CancellationToken ct);
}
