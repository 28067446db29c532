using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Tools.Aws;

public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; the secret and the token are masked from then on.</summary>
    public static AwsCredentials FromEnvironment()
    {
        var credentials = new AwsCredentials(
            Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")
                ?? throw new Engine.UsageException(
                    "AWS_ACCESS_KEY_ID is not set (requests to AWS are signed with it): export it with AWS_SECRET_ACCESS_KEY"
                ),
            Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")
                ?? throw new Engine.UsageException(
                    "AWS_SECRET_ACCESS_KEY is not set (requests to AWS are signed with it): export it with AWS_ACCESS_KEY_ID"
                ),
            Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")
        );
        Engine.Secrets.Register(credentials.SecretAccessKey);
        if (credentials.SessionToken is { } token) Engine.Secrets.Register(token);
        return credentials;
    }
}

/// <summary>
/// AWS Signature Version 4 for header-signed requests: canonical request, string to sign, derived key, Authorization
/// header. Checked against AWS's published SigV4 test suite (get-vanilla, post-vanilla, query order, form body).
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
    public static string HashHex(byte[] payload) => Hex(SHA256.HashData(payload));

    /// <summary>RFC 3986 unreserved characters stay, everything else is %XX (upper case); '/' kept only in paths.</summary>
    public static string Encode(string value, bool path = false)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (path && c == '/')) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query.Select(p => (Key: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <param name="headers">Header names (any case) and values; all of them are signed.</param>
    public static (string Request, string SignedHeaders) CanonicalRequest(
        string method,
        string path,
        IEnumerable<KeyValuePair<string, string>> query,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash
    )
    {
        var canonical = headers
            .Select(h =>
                (Name: h.Key.ToLowerInvariant(), Value: string.Join(' ', h.Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            )
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signed = string.Join(';', canonical.Select(h => h.Name));
        var text =
            $"{method}\n{Encode(path.Length == 0 ? "/" : path, path: true)}\n{CanonicalQuery(query)}\n{string.Concat(canonical.Select(h => $"{h.Name}:{h.Value}\n"))}\n{signed}\n{payloadHash}";
        return (text, signed);
    }

    public static string Scope(DateTimeOffset at, string region, string service) =>
        $"{at.UtcDateTime:yyyyMMdd}/{region}/{service}/aws4_request";
    public static string AmzDate(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string StringToSign(DateTimeOffset at, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{AmzDate(at)}\n{scope}\n{HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";

    public static byte[] SigningKey(string secret, DateTimeOffset at, string region, string service)
    {
        var key = HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("AWS4" + secret),
            Encoding.UTF8.GetBytes(at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture))
        );
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
    }

    /// <summary>The Authorization header for a request whose headers already include host and x-amz-date.</summary>
    public static string Authorization(
        AwsCredentials credentials,
        string region,
        string service,
        DateTimeOffset at,
        string method,
        string path,
        IEnumerable<KeyValuePair<string, string>> query,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash
    )
    {
        var (request, signed) = CanonicalRequest(method, path, query, headers, payloadHash);
        var scope = Scope(at, region, service);
        var signature = Hex(
            HMACSHA256.HashData(
                SigningKey(credentials.SecretAccessKey, at, region, service),
                Encoding.UTF8.GetBytes(StringToSign(at, scope, request))
            )
        );
        return $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signed}, Signature={signature}";
    }
}
