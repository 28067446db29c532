using FluentAssertions;
using Pipeline.Tools.Registry;
using System.Net;
using System.Text;
using Xunit;

namespace Pipeline.Tests.Tools.Registry;

/// <summary>The client's authentication flows against an in-memory fake of a registry (no network).</summary>
public sealed class RegistryClientAuthTests
{
    private const string Digest = "sha256:198c2ba09085d71de3bba7c01c3dc2b88c1bf0e1121bfdc1951dad48639d9c34";

    [Fact]
    public async Task The_bearer_flow_asks_the_realm_for_a_token_with_basic_credentials_and_retries_with_it()
    {
        var fake = new FakeRegistry(request => request.RequestUri!.Host switch
        {
            "auth.test" => request.Headers.Authorization?.ToString() == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:p"))
                ? Json(HttpStatusCode.OK, "{\"token\":\"tok-123\"}") : new HttpResponseMessage(HttpStatusCode.Unauthorized),
            _ when request.Headers.Authorization?.ToString() == "Bearer tok-123" => Manifest(),
            _ => Challenge("Bearer realm=\"https://auth.test/token\",service=\"registry.test\",scope=\"repository:a/b:pull\""),
        });
        using var client = new RegistryClient(new RegistryEndpoint("registry.test"), new RegistryCredentials("u", "p"), fake);

        var head = await client.HeadManifestAsync("a/b", "v1", CancellationToken.None);

        head!.Digest.Should().Be(Digest);
        fake.Requests.Should().Equal(
            "HEAD https://registry.test/v2/a/b/manifests/v1",
            "GET https://auth.test/token?service=registry.test&scope=repository%3Aa%2Fb%3Apull",
            "HEAD https://registry.test/v2/a/b/manifests/v1");
    }

    [Fact]
    public async Task A_token_is_reused_for_the_same_scopes()
    {
        var fake = new FakeRegistry(request => request.RequestUri!.Host == "auth.test" ? Json(HttpStatusCode.OK, "{\"access_token\":\"t\"}")
            : request.Headers.Authorization is null ? Challenge("Bearer realm=\"https://auth.test/token\",service=\"r\"") : Manifest());
        using var client = new RegistryClient(new RegistryEndpoint("registry.test"), null, fake);

        await client.HeadManifestAsync("a/b", "v1", CancellationToken.None);
        await client.HeadManifestAsync("a/b", "v2", CancellationToken.None);

        fake.Requests.Count(r => r.Contains("auth.test")).Should().Be(1);
    }

    [Fact]
    public async Task Wrong_basic_credentials_raise_an_authentication_error_after_one_attempt()
    {
        var fake = new FakeRegistry(_ => Challenge("Basic realm=\"r\""));
        using var client = new RegistryClient(new RegistryEndpoint("127.0.0.1:1", Tls: false), new RegistryCredentials("u", "wrong"), fake);

        var act = () => client.PingAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<RegistryAuthenticationException>()).Which.Registry.Should().Be("127.0.0.1:1");
        fake.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_server_error_is_transient_and_a_missing_manifest_is_null()
    {
        var fake = new FakeRegistry(r =>
            r.RequestUri!.AbsolutePath.EndsWith("/v1")
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.BadGateway)
        );
        using var client = new RegistryClient(new RegistryEndpoint("registry.test"), null, fake);

        (await client.HeadManifestAsync("a/b", "v1", CancellationToken.None)).Should().BeNull();
        await FluentActions
            .Awaiting(() => client.HeadManifestAsync("a/b", "v2", CancellationToken.None))
            .Should()
            .ThrowAsync<RegistryTransientException>();
    }

    private static HttpResponseMessage Challenge(string header)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized)
        {
            Content = new StringContent("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"),
        };
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", header);
        return response;
    }

    private static HttpResponseMessage Manifest()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", ManifestMediaTypes.DockerManifest);
        response.Headers.Add("Docker-Content-Digest", Digest);
        return response;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) => new(status) { Content = new StringContent(json) };

    private sealed class FakeRegistry(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add($"{request.Method} {request.RequestUri}");
            return Task.FromResult(answer(request));
        }
    }
}
