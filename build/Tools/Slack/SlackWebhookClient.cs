using Pipeline.Engine;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Tools.Slack;

/// <summary>A Slack incoming-webhook message: <c>text</c> is the notification fallback, and is all we send.</summary>
public sealed record SlackMessage(string Text)
{
    /// <summary>The documented JSON body: <c>{"text": "…"}</c>.</summary>
    public JsonObject ToJson() => new() { ["text"] = Text };

    /// <summary>Slack's mrkdwn needs &amp;, &lt; and &gt; escaped outside links.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

/// <summary>
/// Posts messages to a Slack incoming webhook (its URL is the secret). Slack answers 200 "ok", or 4xx with a
/// short reason such as <c>invalid_payload</c> or <c>no_service</c>. What leaves for Slack is masked like the log:
/// the text, then the JSON body (for a secret's JSON-escaped form).
/// </summary>
public sealed class SlackWebhookClient(HttpClient http, string webhookUrl)
{
    public async Task PostAsync(SlackMessage message, CancellationToken ct)
    {
        // Both: the text may quote a secret in a derived form (say JSON-escaped) that the body escapes a second time, and
        // the body holds the JSON-escaped form of a plain secret in the text.
        var masked = message with { Text = Secrets.Mask(message.Text) };
        using var content = new StringContent(Secrets.Mask(masked.ToJson().ToJsonString()), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(webhookUrl, content, ct);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new PipelineException($"Slack webhook: {(int)response.StatusCode} {body.Trim()}");
        }
    }
}
