using System.Text;

namespace Pipeline.Server.Tests;

/// <summary>Signed requests as Slack and GitHub send them, with the real HMAC schemes.</summary>
public static class Hooks
{
    public const string SlackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string GitHubSecret = "It's a Secret to Everybody";

    public static HttpRequestMessage Slack(string body, DateTimeOffset time, string? signature = null)
    {
        var timestamp = time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature",
            signature ?? Pipeline.Server.Hooks.SlackSignature.Sign(SlackSecret, timestamp, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    public static HttpRequestMessage GitHub(string body, string delivery, string kind = "push", string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/github/webhook")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Hub-Signature-256",
            signature ?? Pipeline.Server.Hooks.GitHubSignature.Sign(GitHubSecret, Encoding.UTF8.GetBytes(body)));
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-GitHub-Event", kind);
        return request;
    }
}
