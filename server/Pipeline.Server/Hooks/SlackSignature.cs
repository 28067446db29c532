using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Server.Hooks;

/// <summary>
/// Slack's request signing (v0): <c>X-Slack-Signature: v0=hex(HMAC-SHA256(signing secret, "v0:{timestamp}:{body}"))</c>
/// with <c>X-Slack-Request-Timestamp</c> within five minutes of now.
/// </summary>
public static class SlackSignature
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var basestring = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), basestring));
    }

    /// <summary>Why the request is refused, or null when its signature and timestamp hold.</summary>
    public static string? Problem(string secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
            return "missing X-Slack-Request-Timestamp or X-Slack-Signature";
        if (!long.TryParse(timestamp, out var seconds)) return "X-Slack-Request-Timestamp is not a number";
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Window) return "stale timestamp (more than 5 minutes off)";
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? null : "bad signature";
    }
}
