using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Server.Hooks;

/// <summary>GitHub's webhook signature: <c>X-Hub-Signature-256: sha256=hex(HMAC-SHA256(webhook secret, body))</c>.</summary>
public static class GitHubSignature
{
    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool IsValid(string secret, string? signature, byte[] body) =>
        signature is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(signature));
}
