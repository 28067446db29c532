using System.Collections.Concurrent;

namespace Heartbeat;

/// <summary>Thread-safe request counters by route and status code, plus uptime.</summary>
internal sealed class RequestCounters(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Route, int Status), long> _requests = new();
    private readonly long _started = time.GetTimestamp();
    private long _notifications;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public TimeSpan Uptime => time.GetElapsedTime(_started);

    public long NotificationsAccepted => Interlocked.Read(ref _notifications);

    public void CountRequest(string route, int status) =>
        _requests.AddOrUpdate((route, status), 1, static (_, count) => count + 1);

    public void CountNotification() => Interlocked.Increment(ref _notifications);

    /// <summary>A consistent-enough copy, sorted by route then status so output is stable.</summary>
    public IReadOnlyList<(string Route, int Status, long Count)> Snapshot() =>
        _requests.Select(pair => (pair.Key.Route, pair.Key.Status, pair.Value))
            .OrderBy(entry => entry.Route, StringComparer.Ordinal)
            .ThenBy(entry => entry.Status)
            .ToList();

    public long Total => _requests.Values.Sum();
}
