using Pipeline.Engine;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Tools.Acme;

/// <summary>
/// The RFC 8555 protocol over one account key: directory, nonces (a <c>badNonce</c> answer is retried with the
/// nonce it carries), JWS-signed POSTs (jwk until the account URL is known, kid after), polling with Retry-After.
/// </summary>
public sealed class AcmeClient(HttpClient http, Uri directoryUrl, ECDsa accountKey)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = AcmeJson.Default };
    private const int BadNonceRetries = 10;
    private readonly ConcurrentBag<string> _nonces = [];
    private AcmeDirectory? _directory;

    public ECDsa AccountKey => accountKey;
    public string? AccountUrl { get; private set; }
    /// <summary>Requests that created an order (for "0 new orders" checks and the log).</summary>
    public int OrdersCreated { get; private set; }
    /// <summary>badNonce answers retried so far.</summary>
    public int BadNoncesRetried { get; private set; }

    /// <summary>Puts a nonce in the pool (tests use a stale one to see badNonce retried).</summary>
    internal void AddNonce(string nonce) => _nonces.Add(nonce);

    public async Task<AcmeDirectory> DirectoryAsync(CancellationToken ct)
    {
        if (_directory is not null) return _directory;
        using var response = await http.GetAsync(directoryUrl, ct);
        await EnsureSuccessAsync(response, $"GET {directoryUrl}", ct);
        return _directory = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(ct), Json.TypeInfo<AcmeDirectory>())
            ?? throw new AcmeException($"{directoryUrl} did not answer with an ACME directory.");
    }

    /// <summary>Finds or creates the account of the key (newAccount is idempotent per key) and keeps its URL as kid.</summary>
    public async Task<string> AccountAsync(IReadOnlyList<string> contact, (string Kid, string HmacKey)? eab, CancellationToken ct)
    {
        var directory = await DirectoryAsync(ct);
        var payload = new JsonObject
        {
            ["termsOfServiceAgreed"] = true,
            ["contact"] = new JsonArray([.. contact.Select(c => (JsonNode)c)]),
        };
        if (eab is { } binding)
            payload["externalAccountBinding"] = Jws.ExternalAccountBinding(accountKey, directory.NewAccount, binding.Kid, binding.HmacKey);
        else if (directory.Meta?.ExternalAccountRequired == true)
            throw new UsageException(
                $"{directoryUrl} requires external account binding: set certificates/external-account-binding (kid, hmac-key)."
            );
        using var response = await PostAsync(directory.NewAccount, payload, ct, useJwk: true);
        return AccountUrl = response.Headers.Location?.AbsoluteUri ?? throw new AcmeException("newAccount answered without a Location.");
    }

    public async Task<AcmeOrder> NewOrderAsync(IEnumerable<string> names, string? replaces, CancellationToken ct)
    {
        var directory = await DirectoryAsync(ct);
        var payload = new JsonObject
        {
            ["identifiers"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = n })]),
        };
        if (replaces is not null && directory.RenewalInfo is not null) payload["replaces"] = replaces;
        using var response = await PostAsync(directory.NewOrder, payload, ct);
        OrdersCreated++;
        return (await ReadAsync<AcmeOrder>(response, ct)) with
        {
            Url = response.Headers.Location ?? throw new AcmeException("newOrder answered without a Location."),
        };
    }

    public async Task<AcmeAuthorization> AuthorizationAsync(Uri url, CancellationToken ct)
    {
        using var response = await PostAsync(url, null, ct);
        return await ReadAsync<AcmeAuthorization>(response, ct);
    }

    /// <summary>Tells the CA the challenge is ready to be validated (an empty object, §7.5.1).</summary>
    public async Task RespondAsync(AcmeChallenge challenge, CancellationToken ct)
    {
        using var _ = await PostAsync(challenge.Url, new JsonObject(), ct);
    }

    public async Task<AcmeOrder> FinalizeAsync(AcmeOrder order, byte[] csrDer, CancellationToken ct)
    {
        using var response = await PostAsync(
            order.Finalize,
            new JsonObject { ["csr"] = System.Buffers.Text.Base64Url.EncodeToString(csrDer) },
            ct
        );
        return (await ReadAsync<AcmeOrder>(response, ct)) with { Url = order.Url };
    }

    /// <summary>Polls an order or authorization until its status is not one of <paramref name="pending"/>.</summary>
    public async Task<T> PollAsync<T>(Uri url, Func<T, string> status, string[] pending, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        for (var attempt = 0; ; attempt++)
        {
            using var response = await PostAsync(url, null, ct);
            var value = await ReadAsync<T>(response, ct);
            if (!pending.Contains(status(value))) return value;
            if (DateTimeOffset.UtcNow > deadline) throw new AcmeException($"{url} still {status(value)} after {timeout.TotalSeconds:0}s.");
            await Task.Delay(Polling.Delay(response.Headers.RetryAfter, attempt, DateTimeOffset.UtcNow), ct);
        }
    }

    /// <summary>The certificate chain, leaf first, as PEM (§7.4.2).</summary>
    public async Task<string> DownloadChainAsync(Uri certificate, CancellationToken ct)
    {
        using var response = await PostAsync(certificate, null, ct, accept: "application/pem-certificate-chain");
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>ARI: the suggested renewal window of a certificate, or null when the directory offers no renewalInfo.</summary>
    public async Task<RenewalInfo?> RenewalInfoAsync(string certId, CancellationToken ct)
    {
        var directory = await DirectoryAsync(ct);
        if (directory.RenewalInfo is null) return null;
        using var response = await http.GetAsync(new Uri(directory.RenewalInfo.AbsoluteUri.TrimEnd('/') + "/" + certId), ct);
        await EnsureSuccessAsync(response, "renewalInfo", ct);
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(ct), Json.TypeInfo<RenewalInfo>());
    }

    /// <summary>A signed POST; null payload is POST-as-GET. A badNonce answer is retried with the nonce it carried.</summary>
    public async Task<HttpResponseMessage> PostAsync(
        Uri url,
        JsonNode? payload,
        CancellationToken ct,
        bool useJwk = false,
        string? accept = null
    )
    {
        for (var attempt = 0; ; attempt++)
        {
            var kid = useJwk
                ? null
                : AccountUrl ?? throw new InvalidOperationException("The account is not known yet: call AccountAsync first.");
            var body = Jws.Sign(accountKey, url, await NonceAsync(ct), kid, payload);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
            if (accept is not null) request.Headers.Accept.ParseAdd(accept);
            var response = await http.SendAsync(request, ct);
            KeepNonce(response);
            if (response.IsSuccessStatusCode) return response;
            var problem = await ProblemAsync(response, ct);
            response.Dispose();
            var error = new AcmeException($"POST {url.AbsolutePath}: {(int)response.StatusCode} {problem}", problem);
            if (!error.IsBadNonce || attempt >= BadNonceRetries) throw error;
            BadNoncesRetried++;
            Log.Debug($"ACME: badNonce from {url.AbsolutePath}, retrying with the fresh nonce.");
        }
    }

    private async Task<string> NonceAsync(CancellationToken ct)
    {
        if (_nonces.TryTake(out var nonce)) return nonce;
        var directory = await DirectoryAsync(ct);
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, directory.NewNonce), ct);
        return response.Headers.TryGetValues("Replay-Nonce", out var values) ? values.First()
            : throw new AcmeException($"newNonce ({directory.NewNonce}) answered {(int)response.StatusCode} without a Replay-Nonce.");
    }

    private void KeepNonce(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Replay-Nonce", out var values)) _nonces.Add(values.First());
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct) =>
        JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(ct), Json.TypeInfo<T>())
        ?? throw new AcmeException($"{response.RequestMessage?.RequestUri} answered with an empty body.");

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw new AcmeException($"{what}: {(int)response.StatusCode} {await ProblemAsync(response, ct)}");
    }

    private static async Task<AcmeProblem?> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try { return JsonSerializer.Deserialize(text, Json.TypeInfo<AcmeProblem>()); }
        catch (JsonException) { return new AcmeProblem(null, text.Length > 200 ? text[..200] : text, (int)response.StatusCode, null); }
    }
}

/// <summary>The ACME resources the client reads (RFC 8555 §7.1, RFC 9773 §4.2), for source-generated JSON.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(AcmeDirectory))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AcmeOrder))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AcmeAuthorization))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AcmeProblem))]
[System.Text.Json.Serialization.JsonSerializable(typeof(RenewalInfo))]
internal sealed partial class AcmeJson : System.Text.Json.Serialization.JsonSerializerContext;
