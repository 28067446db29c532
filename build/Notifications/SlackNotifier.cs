using Pipeline.Tools.Slack;

namespace Pipeline.Notifications;

/// <summary>One Slack line per event: what, where, which commit, and a link to the run.</summary>
public sealed class SlackNotifier(SlackWebhookClient client) : INotifier
{
    public string Name => "Slack";

    public Task StartedAsync(NotificationEvent e, CancellationToken ct) =>
        client.PostAsync(new(Text(":hourglass_flowing_sand:", e, "started")), ct);

    public Task SucceededAsync(NotificationEvent e, CancellationToken ct) =>
        client.PostAsync(new(Text(":white_check_mark:", e, "succeeded")), ct);

    public Task FailedAsync(NotificationEvent e, string reason, CancellationToken ct) =>
        client.PostAsync(new(Text(":x:", e, "failed") + ": " + SlackMessage.Escape(Engine.Secrets.Mask(reason))), ct);

    /// <summary>e.g. <c>:x: deploy to staging of abc1234 failed: health check … (&lt;run|run&gt;)</c>.</summary>
    public static string Text(string emoji, NotificationEvent e, string verb)
    {
        var link = e.RunUrl is null ? "" : $" (<{e.RunUrl}|run>)";
        return $"{emoji} {e.Operation} {(e.IsDeploy ? "to" : "on")} {e.Environment} of {e.ShortSha} {verb}{link}";
    }
}
