using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Server.Access;

/// <summary>
/// API tokens: 32 random bytes, shown once as <c>pl_</c> + base64url, stored only as their SHA-256 (a token is a random key,
/// not a password, so a fast hash is enough: nothing to guess from).
/// </summary>
public static class ApiToken
{
    public const string Prefix = "pl_";

    public static string Create() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
