using Pipeline.Engine;

namespace Pipeline.Notifications;

/// <summary>Runs an <see cref="INotifier"/>; any failure (HTTP error, timeout, bad answer) becomes a logged warning.</summary>
public sealed class GuardedNotifier(INotifier inner)
{
    public Task StartedAsync(NotificationEvent e, CancellationToken ct) => Guard("start", () => inner.StartedAsync(e, ct), ct);
    public Task SucceededAsync(NotificationEvent e, CancellationToken ct) => Guard("success", () => inner.SucceededAsync(e, ct), ct);
    public Task FailedAsync(NotificationEvent e, string reason, CancellationToken ct) =>
        Guard("failure", () => inner.FailedAsync(e, reason, ct), ct);

    private async Task Guard(string what, Func<Task> send, CancellationToken ct)
    {
        try
        {
            await send();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.Warning($"{inner.Name} notification ({what}) failed, continuing: {ex.Message}");
        }
    }
}
