using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Pipeline.IntegrationTests.Publishing;

/// <summary>
/// A local FAKE of a registry token service (the realm GHCR, Docker Hub and ECR send clients to): checks basic
/// credentials, and issues an ES256 JWT (x5c header, certificate in the registry's rootcertbundle) granting the
/// scopes asked for, as the distribution token spec describes. Only the registry in front of it is real.
/// </summary>
public sealed class FakeTokenServer : IAsyncDisposable
{
    public const string Issuer = "pipeline-test-fake-token-server";
    private readonly HttpListener _listener = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly string _user, _password;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeTokenServer(int port, string user, string password)
    {
        _user = user;
        _password = password;
        var request = new CertificateRequest($"CN={Issuer}", _key, HashAlgorithmName.SHA256);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Realm = $"http://127.0.0.1:{port}/token";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Realm { get; }
    public string CertificatePem => _certificate.ExportCertificatePem();
    public List<string> Requests { get; } = [];

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            try { Answer(context); }
            finally { context.Response.Close(); }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var query = context.Request.QueryString;
        var scopes = query.GetValues("scope") ?? [];
        lock (Requests) Requests.Add($"{context.Request.UserAgent} {string.Join(' ', scopes)}");
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));
        if (context.Request.Headers["Authorization"] != expected)
        {
            context.Response.StatusCode = 401;
            return;
        }
        var access = scopes.Select(s => s.Split(':')).Where(p => p.Length == 3)
            .Select(p => new { type = p[0], name = p[1], actions = p[2].Split(',') }).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { typ = "JWT", alg = "ES256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new
        {
            iss = Issuer,
            sub = _user,
            aud = query["service"],
            exp = now + 300,
            nbf = now - 10,
            iat = now,
            jti = Guid.NewGuid().ToString("N"),
            access,
        };
        var signingInput =
            $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256); // IEEE P1363: R||S, as JWS wants
        var token = $"{signingInput}.{Base64Url(signature)}";
        var body = JsonSerializer.SerializeToUtf8Bytes(new { token, access_token = token, expires_in = 300 });
        context.Response.ContentType = "application/json";
        context.Response.OutputStream.Write(body);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (Exception) { }
        _listener.Close();
        _key.Dispose();
        _certificate.Dispose();
    }
}
