using FluentAssertions;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Outputs;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Etcd;
using Xunit;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// The etcd output after real deploys (the build as a process, Docker, HAProxy) against a real etcd from Debian's
/// etcd-server, started by the test on 127.0.0.1:24379 (peer 24380) with a throw-away data directory. Deploy ports 25280–25289.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class EtcdOutputDeployTests(DeployFixture fixture) : IAsyncLifetime
{
    private const int ClientPort = 24379;
    private readonly string _directory = Directory.CreateTempSubdirectory("test-deploy-etcd-").FullName;
    private LocalServiceManager? _services;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private readonly EtcdOutputDefinition _etcd = new(new Uri($"http://127.0.0.1:{ClientPort}"), "/pipeline");

    private const string Policy = """
              batch: 1
              min_healthy_percent: 50
              drain_timeout: 5s
              stop_timeout: 5s
        """;

    public async Task InitializeAsync()
    {
        _services = new LocalServiceManager(new AbsolutePath(Path.Combine(_directory, "services")));
        await _services.StartAsync(EtcdService.Spec(_directory, ClientPort, ClientPort + 1), CancellationToken.None);
    }

    [Fact]
    public async Task Deploy_writes_the_members_in_traffic_to_etcd_and_deletes_the_keys_of_members_gone()
    {
        await using var env = new TestEnvironment(fixture, "test-deploy-etcd", 25280, 2, Policy,
            $"      etcd: {{ endpoint: 'http://127.0.0.1:{ClientPort}', prefix: /pipeline }}");
        await env.StartAsync();
        var output = new EtcdOutput(_http, _etcd);
        const string prefix = "/pipeline/test-deploy-etcd/web/";
        await Send(EtcdRequests.Put(prefix + "web-9", "127.0.0.1:1"));   // a member of an earlier, larger group

        env.Publish(fixture.V1);
        var deploy = await env.RunAsync("Deploy");

        deploy.ExitCode.Should().Be(0, deploy.StandardOutput + deploy.StandardError);
        (await output.KeysAsync(prefix, CancellationToken.None)).Should().Equal(prefix + "web-1", prefix + "web-2");
        (await ValueAsync(prefix + "web-2")).Should().Be("127.0.0.1:25283");
        (await output.KeysAsync("/pipeline/", CancellationToken.None)).Should().OnlyContain(k => k.StartsWith(prefix));
    }

    private async Task Send(EtcdRequest request) =>
        (
            await _http.PostAsync(new Uri(_etcd.Endpoint, request.Path), new StringContent(request.Body.ToJsonString()))
        ).EnsureSuccessStatusCode();

    private async Task<string> ValueAsync(string key)
    {
        var request = EtcdRequests.Put(key, "").Body["key"]!.GetValue<string>();
        var answer = await _http.PostAsync(new Uri(_etcd.Endpoint, "/v3/kv/range"), new StringContent($$"""{"key":"{{request}}"}"""));
        using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return System.Text.Encoding.UTF8.GetString(
            Convert.FromBase64String(json.RootElement.GetProperty("kvs")[0].GetProperty("value").GetString()!)
        );
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_services is not null) await _services.StopAllAsync(CancellationToken.None);
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
