using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Tools.Acme;

/// <summary>
/// RFC 7515 flattened JWS as ACME sends them (RFC 8555 §6.2): ES256 over the account key, the key itself as
/// <c>jwk</c> before the account exists (newAccount) and its URL as <c>kid</c> after; HS256 for external account binding.
/// </summary>
public static class Jws
{
    /// <summary>The account key's public JWK with its members in the order RFC 7638 hashes them.</summary>
    public static JsonObject Jwk(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return new JsonObject
        {
            ["crv"] = "P-256",
            ["kty"] = "EC",
            ["x"] = Base64Url.EncodeToString(p.Q.X),
            ["y"] = Base64Url.EncodeToString(p.Q.Y),
        };
    }

    /// <summary>RFC 7638 thumbprint: SHA-256 of the canonical JWK (required members, sorted, no spaces).</summary>
    public static string Thumbprint(ECDsa key) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(Jwk(key).ToJsonString())));

    /// <summary>The key authorization of a challenge token (RFC 8555 §8.1).</summary>
    public static string KeyAuthorization(string token, ECDsa key) => $"{token}.{Thumbprint(key)}";

    /// <summary>The TXT value of a DNS-01 challenge: base64url(SHA-256(key authorization)).</summary>
    public static string DnsTxtValue(string keyAuthorization) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization)));

    /// <param name="payload">null for POST-as-GET (an empty payload), otherwise the JSON body.</param>
    /// <param name="kid">The account URL; null signs with the embedded <c>jwk</c> (newAccount, revocation by key).</param>
    public static string Sign(ECDsa key, Uri url, string nonce, string? kid, JsonNode? payload)
    {
        var header = new JsonObject { ["alg"] = "ES256" };
        if (kid is null) header["jwk"] = Jwk(key); else header["kid"] = kid;
        header["nonce"] = nonce;
        header["url"] = url.AbsoluteUri;
        return Flatten(header, payload is null ? "" : payload.ToJsonString(), input => key.SignData(input, HashAlgorithmName.SHA256));
    }

    /// <summary>The externalAccountBinding member of newAccount (RFC 8555 §7.3.4): the account JWK signed with the CA's MAC key.</summary>
    public static JsonNode ExternalAccountBinding(ECDsa accountKey, Uri newAccountUrl, string eabKid, string hmacKeyBase64Url)
    {
        var header = new JsonObject { ["alg"] = "HS256", ["kid"] = eabKid, ["url"] = newAccountUrl.AbsoluteUri };
        var mac = Base64Url.DecodeFromChars(hmacKeyBase64Url.Trim());
        return JsonNode.Parse(Flatten(header, Jwk(accountKey).ToJsonString(), input => HMACSHA256.HashData(mac, input)))!;
    }

    private static string Flatten(JsonObject header, string payload, Func<byte[], byte[]> sign)
    {
        var protectedPart = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadPart = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = sign(Encoding.ASCII.GetBytes($"{protectedPart}.{payloadPart}"));
        return new JsonObject
        {
            ["protected"] = protectedPart,
            ["payload"] = payloadPart,
            ["signature"] = Base64Url.EncodeToString(signature),
        }.ToJsonString();
    }
}
