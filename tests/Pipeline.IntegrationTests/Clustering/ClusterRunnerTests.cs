using FluentAssertions;
using Pipeline.Clustering;
using Xunit;

namespace Pipeline.IntegrationTests.Clustering;

[Collection(ClusterCollection.Name)]
public sealed class ClusterRunnerTests(ClusterFixture cluster)
{
    private const string LoadBalancer = """
        load-balancer: { service: lb, port: 80 }
        readiness: { path: /heartbeat, timeout: 60s }
        """;

    [Fact]
    public async Task A_cluster_of_baked_images_passes_http_tcp_exec_and_failover_checks_and_leaves_nothing_behind()
    {
        var options = cluster.Options("passing", LoadBalancer + """

            checks:
              - name: heartbeat through the load balancer
                http: { path: /heartbeat, headers: { Accept: application/json }, json: { message: alive, instance: "*" }, body-pattern: '"version"' }
              - name: one instance directly
                http: { service: app2, port: 8080, path: /heartbeat, json: { instance: app2 } }
              - name: unknown paths are 404
                http: { method: GET, path: /nope, status: 404 }
              - name: the load balancer accepts connections
                tcp: { service: lb, port: 80 }
              - name: healthy from inside
                exec: { service: app1, command: [http-check, "8080", /heartbeat] }
              - name: haproxy config valid
                exec: { service: lb, command: [haproxy, -c, -f, /etc/haproxy/cluster.cfg], output-pattern: "(?i)valid" }
              - name: app1 stopped and back
                failover: { service: app1, action: stop, path: /heartbeat, within: 3s, duration: 3s, rejoin-within: 30s }
              - name: app2 killed and back
                failover: { service: app2, action: kill, path: /heartbeat, within: 3s, duration: 3s, rejoin-within: 30s }
            """);

        var runner = new ClusterRunner(cluster.Docker, options);
        var report = await runner.RunAsync(CancellationToken.None);

        report.Results.Where(r => !r.Passed).Should().BeEmpty(LoadBalancerLog(options));
        report.Passed.Should().BeTrue();
        report.Results.Select(r => r.Kind).Should().Contain(["http", "tcp", "exec", "failover"]);
        report.Endpoints.Keys.Should().Contain(["CLUSTER_LB_URL", "CLUSTER_APP1_URL", "CLUSTER_APP2_URL"]);
        File.ReadAllText(options.Layout.Report).Should().StartWith("# Cluster test: passed");
        File.ReadAllText(options.Layout.JUnit).Should().Contain("failures=\"0\"");
        Directory.Exists(options.Layout.Logs).Should().BeFalse("logs are kept for failed runs only");
        (await cluster.LeftAsync(runner.Project!.RunId)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_failing_check_fails_the_run_keeps_every_services_timestamped_log_and_tears_down()
    {
        var options = cluster.Options("failing", LoadBalancer + """

            checks:
              - name: heartbeat through the load balancer
                http: { path: /heartbeat }
              - name: deliberately wrong status
                http: { path: /heartbeat, status: 418 }
            """);

        string? password = null;
        var runner = new ClusterRunner(cluster.Docker, options)
        {
            OnHealthy = async (services, ct) =>
            {
                var app = (await services.ContainersAsync(ct)).First(c => ClusterServices.Service(c) == "app1");
                var env = (await services.Docker.InspectContainerAsync(app.Id, ct))?.Config?.Env ?? [];
                password = env.FirstOrDefault(e => e.StartsWith("HEARTBEAT_PASSWORD=", StringComparison.Ordinal))?[
                    "HEARTBEAT_PASSWORD=".Length..
                ];
            },
        };
        var report = await runner.RunAsync(CancellationToken.None);

        report.Passed.Should().BeFalse();
        report.Results.Single(r => !r.Passed).Message.Should().Contain("expected HTTP 418, got 200");
        // The run's password reaches the containers through compose's environment, never through the rendered file.
        password.Should().MatchRegex("^[0-9a-f]{24}$");
        File.ReadAllText(options.Layout.Run(runner.Project!.RunId) / "compose.yml")
            .Should()
            .Contain("\"${CLUSTER_PASSWORD}\"")
            .And.NotContain(password);
        foreach (var file in Directory.GetFiles(options.Layout.Outputs, "*", SearchOption.AllDirectories))
            File.ReadAllText(file).Should().NotContain(password, file);
        Directory
            .GetFiles(options.Layout.Logs)
            .Select(Path.GetFileName)
            .Should()
            .BeEquivalentTo(["lb.log", "app1.log", "app2.log", "health.log", "compose.log"]);
        File.ReadAllText(options.Layout.Logs / "app1.log")
            .Should()
            .MatchRegex(@"^\d{4}-\d\d-\d\dT[\d:.]+Z listening on 8080 as app1");
        File.ReadAllText(options.Layout.Logs / "health.log").Should().Contain("app1").And.Contain("healthy");
        File.ReadAllText(options.Layout.JUnit).Should().Contain("failures=\"1\"");
        (await cluster.LeftAsync(runner.Project!.RunId)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_cluster_that_never_gets_healthy_times_out_with_the_health_history_and_tears_down()
    {
        var options = cluster.Options("unready", """
            load-balancer: { service: lb, port: 80 }
            readiness: { path: /never-there, timeout: 8s }
            checks:
              - name: never runs
                tcp: { service: lb, port: 80 }
            """);

        var runner = new ClusterRunner(cluster.Docker, options);
        var report = await runner.RunAsync(CancellationToken.None);

        report.Passed.Should().BeFalse();
        report.Failure.Should().Contain("not ready within 8 s").And.Contain("/never-there");
        File.ReadAllText(options.Layout.Logs / "health.log").Should().Contain("lb/never-there").And.Contain("not-ready");
        (await cluster.LeftAsync(runner.Project!.RunId)).Should().BeEmpty();
    }

    [Fact]
    public async Task Cancelling_mid_run_still_tears_down_and_reports_the_interruption()
    {
        var options = cluster.Options("cancelled", LoadBalancer + "\nchecks:\n  - name: x\n    tcp: { service: lb, port: 80 }\n");
        using var cts = new CancellationTokenSource();
        var runner = new ClusterRunner(cluster.Docker, options) { OnHealthy = (_, _) => { cts.Cancel(); return Task.CompletedTask; } };

        await runner.Invoking(r => r.RunAsync(cts.Token)).Should().ThrowAsync<OperationCanceledException>();

        runner.Report!.Failure.Should().StartWith("interrupted during");
        Directory.GetFiles(options.Layout.Logs).Should().Contain(f => f.EndsWith("lb.log"));
        (await cluster.LeftAsync(runner.Project!.RunId)).Should().BeEmpty();
    }

    /// <summary>A failed run's load balancer log (kept by the runner), so a failure names the servers' state changes.</summary>
    private static string LoadBalancerLog(ClusterOptions options)
    {
        var file = options.Layout.Logs / "lb.log";
        return File.Exists(file) ? "the load balancer logged:\n" + string.Join('\n', File.ReadLines(file).TakeLast(40)) : "";
    }
}
