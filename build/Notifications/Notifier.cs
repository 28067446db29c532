using Pipeline.Engine;
using Pipeline.Tools.GitHub;
using Pipeline.Tools.Slack;

namespace Pipeline.Notifications;

/// <summary>
/// The API Deploy and ClusterTest call:
/// <code>
/// await using var n = await Notifier.BeginAsync(settings, "deploy", environment, sha, ct);
/// … n.SucceededAsync(ct) or n.FailedAsync(reason, ct)
/// </code>
/// Begin posts "started" to every configured channel; a scope disposed without an outcome reports a failure
/// ("stopped before finishing"), so an exception or Ctrl-C still closes the GitHub deployment.
/// </summary>
public static class Notifier
{
    public static Task<NotificationScope> BeginAsync(
        NotificationSettings settings,
        string operation,
        string environment,
        string sha,
        CancellationToken ct
    )
    {
        var http = new HttpClient { Timeout = settings.Timeout };
        var notifiers = new List<INotifier>();
        if (settings.GitHubEnabled)
            notifiers.Add(
                new GitHubNotifier(
                    new GitHubClient(settings.GitHubApiUrl, settings.GitHubToken!, settings.GitHubRepository!, settings.Timeout)
                )
            );
        if (settings.SlackEnabled)
            notifiers.Add(new SlackNotifier(new SlackWebhookClient(http, settings.SlackWebhook!)));
        if (notifiers.Count == 0)
            Log.Debug($"No notifications for {operation}: neither GITHUB_TOKEN (with GITHUB_REPOSITORY) nor SLACK_WEBHOOK is set.");
        return BeginAsync(notifiers, new NotificationEvent(operation, environment, sha) { RunUrl = settings.RunUrl }, http, ct);
    }

    /// <summary>With given notifiers (tests, or another channel).</summary>
    public static async Task<NotificationScope> BeginAsync(
        IEnumerable<INotifier> notifiers,
        NotificationEvent e,
        IDisposable? owned,
        CancellationToken ct
    )
    {
        var scope = new NotificationScope(notifiers.Select(n => new GuardedNotifier(n)).ToList(), e, owned);
        await scope.StartAsync(ct);
        return scope;
    }
}
