using System.Net.Http.Headers;

namespace Pipeline.Tools.Acme;

/// <summary>How long to wait before asking again about a pending object: the CA's Retry-After when it sends one.</summary>
public static class Polling
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);

    /// <param name="retryAfter">The response's Retry-After header (seconds or a date), if any.</param>
    /// <param name="attempt">0 for the first poll; without Retry-After the wait grows 200 ms, 400 ms, … up to 5 s.</param>
    public static TimeSpan Delay(RetryConditionHeaderValue? retryAfter, int attempt, DateTimeOffset now)
    {
        var asked = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };
        if (asked is { } a) return a < TimeSpan.Zero ? TimeSpan.Zero : a > MaxWait ? MaxWait : a;
        return TimeSpan.FromMilliseconds(Math.Min(5000, 200 * Math.Pow(2, Math.Min(attempt, 5))));
    }
}
