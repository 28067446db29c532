using FluentAssertions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Engine.Services;
using Pipeline.Tools.Haproxy;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.Haproxy;

/// <summary>
/// A real HAProxy 2.6 logs each request, in Pipeline's format, to the build's UDP listener: which server answered, the
/// status and the response time, per request. Two tiny loopback HTTP servers stand in for a good and a failing instance;
/// weights set through the runtime API decide who gets what. Ports 25700–25709.
/// </summary>
public sealed class RequestLogTests : IAsyncLifetime
{
    private const int Frontend = 25700, Runtime = 25701, Log = 25702, Good = 25703, Bad = 25704;
    private readonly string _directory = Directory.CreateTempSubdirectory("haproxy-log-").FullName;
    private readonly LocalServiceManager _services;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _servers = [];

    public RequestLogTests() =>
        _services = new LocalServiceManager(new Pipeline.Engine.AbsolutePath(Path.Combine(_directory, "services")));

    public async Task InitializeAsync()
    {
        _servers.Add(ServeAsync(Good, "200 OK", 0));
        _servers.Add(ServeAsync(Bad, "500 Internal Server Error", 30));
        await _services.StartAsync(HaproxyService.Spec(new(Path.Combine(_directory, "haproxy"), Frontend, Runtime, ["web"])
        {
            LogTarget = $"127.0.0.1:{Log}",
        }), CancellationToken.None);
    }

    [Fact]
    public async Task Every_request_arrives_with_its_server_status_and_response_time_and_weights_steer_the_share()
    {
        var api = new HaproxyRuntimeApi($"127.0.0.1:{Runtime}");
        foreach (var (name, port) in new[] { ("web-1", Good), ("web-canary-1", Bad) })
        {
            await api.ExecuteAsync(HaproxyCommands.AddServer("web", name, $"127.0.0.1:{port}", null, TimeSpan.Zero), default);
            await api.ExecuteAsync(HaproxyCommands.SetState("web", name, ServerAdminState.Ready), default);
        }
        await api.ExecuteAsync(HaproxyCommands.SetWeight("web", "web-1", 3), default);
        await api.ExecuteAsync(HaproxyCommands.SetWeight("web", "web-canary-1", 1), default);
        var lines = new ConcurrentQueue<HaproxyRequestLog>();
        await using (HaproxyLogListener.Start($"127.0.0.1:{Log}", lines.Enqueue))
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            for (var i = 0; i < 40; i++) (await http.GetAsync($"http://127.0.0.1:{Frontend}/")).Dispose();
            for (var wait = 0; wait < 50 && lines.Count < 40; wait++) await Task.Delay(100);
        }

        lines.Should().HaveCount(40);
        lines.Should().OnlyContain(l => l.Backend == "web");
        var canary = lines.Where(l => l.Server == "web-canary-1").ToList();
        canary.Should().HaveCount(10, "weights 3:1 under roundrobin give the canary a quarter");
        canary.Should().OnlyContain(l => l.Status == 500 && l.ResponseMs >= 25);
        lines.Where(l => l.Server == "web-1").Should().OnlyContain(l => l.Status == 200 && l.ResponseMs >= 0 && l.ResponseMs < 25);
        (await HaproxyWeights.ReadAsync(api, "web", default)).Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["web-1"] = 3,
            ["web-canary-1"] = 1,
        });
    }

    /// <summary>Answers every connection's requests with <paramref name="status"/> after <paramref name="delayMs"/>.</summary>
    private async Task ServeAsync(int port, string status, int delayMs)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using var c = client;
                    var stream = c.GetStream();
                    var buffer = new byte[4096];
                    try
                    {
                        while (await stream.ReadAsync(buffer, _stop.Token) > 0)
                        {
                            await Task.Delay(delayMs, _stop.Token);
                            var answer = $"HTTP/1.1 {status}\r\nContent-Length: 2\r\n\r\nok";
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                        }
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException) { }
                });
            }
        }
        catch (OperationCanceledException) { }
        finally { listener.Stop(); }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_servers);
        await _services.StopAllAsync(CancellationToken.None);
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
