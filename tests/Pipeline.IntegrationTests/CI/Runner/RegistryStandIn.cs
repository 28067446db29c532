using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Publishing;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// A public registry (ghcr.io) as jobs reach it: a real Distribution registry (Debian's docker-registry, htpasswd) on this
/// machine's loopback, which the machines' engines and steps reach by the registry's public name over TLS
/// (<see cref="HttpsStandIns"/>). It answers with relative URLs, since the TLS ends in front of it.
/// </summary>
public sealed class RegistryStandIn : IAsyncDisposable
{
    private readonly LocalServiceManager _services;
    private readonly int _port;
    private readonly string _user;
    private readonly string _password;

    private RegistryStandIn(LocalServiceManager services, string name, int port, string user, string password)
    {
        (_services, _port, _user, _password) = (services, port, user, password);
        StandIn = new HttpsStandIn([name], port);
    }

    public HttpsStandIn StandIn { get; }

    public static async Task<RegistryStandIn> StartAsync(string folder, string name, string user, string password, CancellationToken ct)
    {
        var port = HttpsStandIn.FreePort();
        RegistryService.Prepare(folder, port, user, password);
        var config = Path.Combine(folder, "config.yml");
        var addr = $"  addr: 127.0.0.1:{port}\n";
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config, ct)).Replace(addr, addr + "  relativeurls: true\n"), ct);
        var services = new LocalServiceManager(new AbsolutePath(Path.Combine(folder, "services")));
        await services.StartAsync(RegistryService.Spec($"registry-{name}", folder, port), ct);
        return new RegistryStandIn(services, name, port, user, password);
    }

    /// <summary>The tags the registry holds for <paramref name="repository"/> (none: empty), read over its plain port here.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository, CancellationToken ct)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}/v2/{repository}/tags/list");
        request.Headers.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}")));
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("tags") is { ValueKind: JsonValueKind.Array } tags
            ? [.. tags.EnumerateArray().Select(t => t.GetString()!)]
            : [];
    }

    public async ValueTask DisposeAsync() => await _services.StopAllAsync(CancellationToken.None);
}
