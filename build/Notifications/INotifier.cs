namespace Pipeline.Notifications;

/// <summary>What is being reported: an operation (deploy, cluster-test) of a commit on an environment.</summary>
public sealed record NotificationEvent(string Operation, string Environment, string Sha)
{
    /// <summary>The CI run's page, when there is one.</summary>
    public string? RunUrl { get; init; }
    public string ShortSha => Sha.Length > 7 ? Sha[..7] : Sha;
    public bool IsDeploy => Operation == "deploy";
}

/// <summary>
/// Tells the outside world an operation started, succeeded or failed (with its reason). Implementations may
/// throw; <see cref="GuardedNotifier"/> turns that into a warning, so a notification never fails the build.
/// </summary>
public interface INotifier
{
    string Name { get; }
    Task StartedAsync(NotificationEvent e, CancellationToken ct);
    Task SucceededAsync(NotificationEvent e, CancellationToken ct);
    Task FailedAsync(NotificationEvent e, string reason, CancellationToken ct);
}
