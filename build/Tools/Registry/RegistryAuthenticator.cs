using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pipeline.Tools.Registry;

/// <summary>
/// Answers a registry's 401 challenge: basic auth with the credentials, or the bearer realm flow (GHCR, Docker Hub,
/// ECR, distribution with token auth): ask the realm for a token covering the request's scopes, cache it per scope set.
/// </summary>
internal sealed class RegistryAuthenticator(string registry, RegistryCredentials? credentials, HttpClient http)
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private volatile AuthChallenge? _challenge;

    /// <summary>Adds what is known to authorise this request, before any challenge if one was seen already.</summary>
    public void Authorise(HttpRequestMessage message, RegistryRequest request)
    {
        var challenge = _challenge;
        if (challenge is null) return;
        if (challenge.IsBasic && credentials is not null) message.Headers.Authorization = Basic(credentials);
        else if (challenge.IsBearer && _tokens.TryGetValue(Key(request.Scopes), out var token))
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Handles a 401: returns true when a retry with new authorisation makes sense.</summary>
    public async Task<bool> AnswerAsync(HttpResponseMessage response, RegistryRequest request, CancellationToken ct)
    {
        var header = response.Headers.WwwAuthenticate.FirstOrDefault();
        if (header is null) return false;
        var challenge = AuthChallenge.Parse(header.ToString());
        var first = _challenge is null || _challenge.Scheme != challenge.Scheme;
        _challenge = challenge;
        if (challenge.IsBasic) return credentials is not null && first;
        if (!challenge.IsBearer || challenge.Realm is null) return false;

        var scopes = request.Scopes.Concat(challenge.Scope is { Length: > 0 } s ? [s] : []).ToList();
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, challenge.TokenUri(scopes));
        if (credentials is not null) tokenRequest.Headers.Authorization = Basic(credentials);
        using var tokenResponse = await http.SendAsync(tokenRequest, ct);
        if (!tokenResponse.IsSuccessStatusCode)
            throw new RegistryAuthenticationException(registry, tokenResponse.StatusCode,
                $"the token service {challenge.Realm} refused a token ({(int)tokenResponse.StatusCode} {tokenResponse.ReasonPhrase})");
        using var doc = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(ct));
        var token = doc.RootElement.TryGetProperty("token", out var t) ? t.GetString()
            : doc.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(token))
            throw new RegistryAuthenticationException(
                registry,
                tokenResponse.StatusCode,
                $"the token service {challenge.Realm} answered without a token"
            );
        Engine.Secrets.Register(token);
        var key = Key(request.Scopes);
        var renewed = !_tokens.TryGetValue(key, out var old) || old != token;
        _tokens[key] = token;
        return renewed;
    }

    private static string Key(IReadOnlyList<string> scopes) => string.Join(' ', scopes.Order(StringComparer.Ordinal));

    private static AuthenticationHeaderValue Basic(RegistryCredentials c) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.Username}:{c.Password}")));
}
