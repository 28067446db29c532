using Pipeline.Engine;
using Pipeline.Tools.Registry;

namespace Pipeline.Publishing;

/// <summary>
/// Retries transient failures (5xx, 429, resets, timeouts) with exponential backoff and jitter; never an
/// authentication failure (401/403) or any other error, which are reported at once.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static RetryPolicy Default { get; } = new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));

    /// <summary>The pause before attempt <paramref name="attempt"/> + 1 (1-based): base × 2^(attempt-1), capped, plus up to 20%
    /// jitter.</summary>
    public TimeSpan DelayAfter(int attempt, double jitter01)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + 0.2 * Math.Clamp(jitter01, 0, 1)));
    }

    public static bool IsTransient(Exception e) => e switch
    {
        RegistryAuthenticationException => false,
        RegistryTransientException => true,
        TransientException => true,
        HttpRequestException or IOException => true,
        _ => false,
    };

    public async Task<T> ExecuteAsync<T>(
        string what,
        Func<CancellationToken, Task<T>> action,
        CancellationToken ct,
        Func<TimeSpan, CancellationToken, Task>? delay = null
    )
    {
        delay ??= Task.Delay;
        for (var attempt = 1; ; attempt++)
        {
            try { return await action(ct); }
            catch (Exception e) when (attempt < Attempts && IsTransient(e) && !ct.IsCancellationRequested)
            {
                var pause = DelayAfter(attempt, Random.Shared.NextDouble());
                Log.Warning($"{what}: {e.Message} — attempt {attempt} of {Attempts} failed, retrying in {pause.TotalSeconds:0.0}s");
                await delay(pause, ct);
            }
        }
    }

    public Task ExecuteAsync(
        string what,
        Func<CancellationToken, Task> action,
        CancellationToken ct,
        Func<TimeSpan, CancellationToken, Task>? delay = null
    ) =>
        ExecuteAsync(
            what,
            async c =>
            {
                await action(c);
                return true;
            },
            ct,
            delay
        );
}

/// <summary>A failure worth retrying that did not come from the registry client (e.g. an engine push error saying 5xx or reset).</summary>
public sealed class TransientException(string message, Exception? inner = null) : PipelineException(message, inner);
