namespace Pipeline.Notifications;

/// <summary>One operation's notifications: started (on begin), then exactly one of succeeded or failed.</summary>
public sealed class NotificationScope : IAsyncDisposable
{
    private readonly IReadOnlyList<GuardedNotifier> _notifiers;
    private readonly IDisposable? _owned;
    private bool _ended;

    internal NotificationScope(IReadOnlyList<GuardedNotifier> notifiers, NotificationEvent e, IDisposable? owned)
    {
        _notifiers = notifiers;
        Event = e;
        _owned = owned;
    }

    public NotificationEvent Event { get; }

    internal Task StartAsync(CancellationToken ct) => Task.WhenAll(_notifiers.Select(n => n.StartedAsync(Event, ct)));

    public Task SucceededAsync(CancellationToken ct = default) =>
        End(() => Task.WhenAll(_notifiers.Select(n => n.SucceededAsync(Event, ct))));

    public Task FailedAsync(string reason, CancellationToken ct = default) =>
        End(() => Task.WhenAll(_notifiers.Select(n => n.FailedAsync(Event, reason, ct))));

    private Task End(Func<Task> send)
    {
        if (_ended) return Task.CompletedTask;
        _ended = true;
        return send();
    }

    /// <summary>Without an outcome the operation did not finish (an exception, Ctrl-C): report that as a failure.</summary>
    public async ValueTask DisposeAsync()
    {
        // A fresh token: the operation's own may be the one that was cancelled.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await FailedAsync("stopped before finishing (an error or an interrupt; see the log)", timeout.Token);
        _owned?.Dispose();
    }
}
