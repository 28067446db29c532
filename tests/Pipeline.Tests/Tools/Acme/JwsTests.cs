using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Tools.Acme;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipeline.Tests.Tools.Acme;

public sealed class JwsTests
{
    private static readonly Uri Url = new("https://ca.example/acme/new-order");

    private static (JsonObject Header, JsonObject? Payload, byte[] Signature, string SigningInput) Open(string jws)
    {
        var o = JsonNode.Parse(jws)!.AsObject();
        var p = o["protected"]!.GetValue<string>();
        var body = o["payload"]!.GetValue<string>();
        var payloadText = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(body));
        return (
            JsonNode.Parse(Base64Url.DecodeFromChars(p))!.AsObject(),
            payloadText.Length == 0 ? null : JsonNode.Parse(payloadText)!.AsObject(),
            Base64Url.DecodeFromChars(o["signature"]!.GetValue<string>()),
            $"{p}.{body}"
        );
    }

    [Fact]
    public void A_request_before_the_account_exists_carries_the_jwk_and_an_ES256_signature_that_verifies()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (header, payload, signature, input) = Open(Jws.Sign(key, Url, "nonce-1", null, new JsonObject { ["a"] = 1 }));

        header["alg"]!.GetValue<string>().Should().Be("ES256");
        header["jwk"]!["kty"]!.GetValue<string>().Should().Be("EC");
        header.ContainsKey("kid").Should().BeFalse();
        header["nonce"]!.GetValue<string>().Should().Be("nonce-1");
        header["url"]!.GetValue<string>().Should().Be(Url.AbsoluteUri);
        payload!["a"]!.GetValue<int>().Should().Be(1);
        signature.Should().HaveCount(64, "ES256 signatures are r||s, 32 bytes each");
        key.VerifyData(Encoding.ASCII.GetBytes(input), signature, HashAlgorithmName.SHA256).Should().BeTrue();
    }

    [Fact]
    public void A_request_after_the_account_exists_names_it_by_kid_and_a_POST_as_GET_has_an_empty_payload()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (header, payload, _, input) = Open(Jws.Sign(key, Url, "n", "https://ca.example/acct/7", null));

        header["kid"]!.GetValue<string>().Should().Be("https://ca.example/acct/7");
        header.ContainsKey("jwk").Should().BeFalse();
        payload.Should().BeNull();
        input.Should().EndWith(".");
    }

    [Fact]
    public void The_thumbprint_hashes_the_canonical_jwk_with_sorted_members_and_no_spaces()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(false);
        var canonical =
            $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(p.Q.X)}\",\"y\":\"{Base64Url.EncodeToString(p.Q.Y)}\"}}";

        Jws.Thumbprint(key).Should().Be(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        Jws.KeyAuthorization("tok", key).Should().Be($"tok.{Jws.Thumbprint(key)}");
    }

    [Fact]
    public void The_DNS_01_value_is_the_base64url_SHA_256_of_the_key_authorization()
    {
        Jws.DnsTxtValue("abc.def").Should().Be(Base64Url.EncodeToString(SHA256.HashData("abc.def"u8.ToArray())));
    }

    [Fact]
    public void External_account_binding_signs_the_account_jwk_with_the_CAs_MAC_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var mac = RandomNumberGenerator.GetBytes(32);
        var eab = Jws.ExternalAccountBinding(key, Url, "kid-1", Base64Url.EncodeToString(mac));
        var (header, payload, signature, input) = Open(eab.ToJsonString());

        header["alg"]!.GetValue<string>().Should().Be("HS256");
        header["kid"]!.GetValue<string>().Should().Be("kid-1");
        payload!.ToJsonString().Should().Be(Jws.Jwk(key).ToJsonString());
        signature.Should().Equal(HMACSHA256.HashData(mac, Encoding.ASCII.GetBytes(input)));
    }
}
