using FluentAssertions;
using Pipeline.Deploying.Canary;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Monitoring;
using Pipeline.Tools.Prometheus;
using System.Net;
using System.Text;
using Xunit;

namespace Pipeline.IntegrationTests.Tools.Prometheus;

/// <summary>
/// The canary's PromQL checks against a real Prometheus (Debian's, scraping every second): a tiny local listener serves HAProxy's
/// per-server response counters for a canary that fails 8% and a clean baseline; the client asks <c>/api/v1/query</c> with the
/// placeholders filled in and the judge gives each query's line. Ports 27310 (Prometheus) and 27311 (the metrics listener).
/// </summary>
public sealed class CanaryQueryPrometheusTests : IAsyncLifetime
{
    private const int PrometheusPort = 27310, TargetPort = 27311;
    private const string Metrics = """
        # TYPE haproxy_server_http_responses_total counter
        haproxy_server_http_responses_total{proxy="web",server="web-canary-1",code="5xx"} 8
        haproxy_server_http_responses_total{proxy="web",server="web-canary-1",code="2xx"} 92
        haproxy_server_http_responses_total{proxy="web",server="web-baseline-1",code="5xx"} 0
        haproxy_server_http_responses_total{proxy="web",server="web-baseline-1",code="2xx"} 100

        """;

    private const string Ratio = "sum(haproxy_server_http_responses_total{proxy=\"{{backend}}\",server=~\"{{ROLE}}\",code=\"5xx\"}) "
        + "/ sum(haproxy_server_http_responses_total{proxy=\"{{backend}}\",server=~\"{{ROLE}}\"})";

    private readonly AbsolutePath _dir = new(Directory.CreateTempSubdirectory("pipeline-promql-").FullName);
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private LocalServiceManager _manager = null!;
    private Task _serving = Task.CompletedTask;

    private PrometheusClient Client => new(_http, new Uri($"http://127.0.0.1:{PrometheusPort}"));
    private static readonly QueryPlaceholders Step = new("web", ["web-canary-1"], ["web-baseline-1"]);

    public async Task InitializeAsync()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{TargetPort}/");
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                var body = Encoding.UTF8.GetBytes(Metrics);
                context.Response.ContentType = "text/plain; version=0.0.4";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
        File.WriteAllText(_dir / "prometheus.yml", $"""
            global: {"{"}scrape_interval: 1s{"}"}
            scrape_configs:
              - job_name: haproxy
                static_configs: [{"{"}targets: ['127.0.0.1:{TargetPort}']{"}"}]

            """);
        _manager = new LocalServiceManager(_dir);
        await _manager.StartAsync(new LocalService("prometheus", MonitoringTools.Prometheus.Command,
            [
                $"--config.file={_dir / "prometheus.yml"}", $"--storage.tsdb.path={_dir / "data"}",
                $"--web.listen-address=127.0.0.1:{PrometheusPort}", "--log.level=warn",
            ],
            ReadinessProbe.Http($"http://127.0.0.1:{PrometheusPort}/-/ready"))
        {
            Tools = [MonitoringTools.Prometheus],
            StartTimeout = TimeSpan.FromSeconds(30),
        }, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await Client.QueryAsync("haproxy_server_http_responses_total", CancellationToken.None)).IsEmpty)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Prometheus scraped nothing in 30 s");
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await _manager.StopAsync("prometheus", CancellationToken.None);
        _listener.Stop();
        await _serving;
        _listener.Close();
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_canary_query_over_its_bound_fails_the_baseline_one_passes_and_no_series_waits()
    {
        CanaryQuery[] queries =
        [
            new("canary_errors", Ratio.Replace("ROLE", "canary"), null, 0.05),
            new("baseline_errors", Ratio.Replace("ROLE", "baseline"), null, 0.05),
            new("absent", "sum(haproxy_server_http_responses_total{server=\"nobody\"})", null, 1),
        ];

        var results = await QueryEvaluation.EvaluateAsync(Client, queries, Step, CancellationToken.None);

        results[0].Rendered.Should().Contain("server=~\"web-canary-1\"").And.Contain("proxy=\"web\"");
        results.Select(r => r.Query.Judge(r.Result)?.Line).Should().Equal(
            "query canary_errors = 0.08 > max 0.05: fail", "query baseline_errors = 0 <= max 0.05: pass", null);
        var analysis = CanaryAnalysis.Default with { Queries = queries };
        var pass = new CanaryVerdict(VerdictKind.Pass, [], "pass");
        CanaryJudge.WithQueries(pass, results, analysis, final: false).Kind.Should().Be(VerdictKind.Waiting);
        CanaryJudge.WithQueries(pass, results, analysis, final: true).Line
            .Should().Be("query canary_errors = 0.08 > max 0.05: fail; query absent: no data within 5m (no series, or only NaN): fail");
    }

    [Fact]
    public async Task A_query_prometheus_refuses_names_the_query_and_prometheus_reason()
    {
        var act = () => QueryEvaluation.EvaluateAsync(Client, [new("broken", "sum(rate(x[1m]", null, 1)], Step, CancellationToken.None);

        (await act.Should().ThrowAsync<PipelineException>()).Which.Message
            .Should().StartWith("canary query broken: Prometheus http://127.0.0.1:27310/ refused the query 'sum(rate(x[1m]' (400): ")
            .And.Contain("parse error").And.EndWith("fix the query (try it in Prometheus' /graph page)");
    }
}
