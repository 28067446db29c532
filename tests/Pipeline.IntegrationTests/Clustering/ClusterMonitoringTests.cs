using FluentAssertions;
using Pipeline.Clustering;
using System.Net.Sockets;
using Xunit;

namespace Pipeline.IntegrationTests.Clustering;

/// <summary>
/// ClusterTest with the repository's environments/virtual/monitoring.yml: Debian's Prometheus (on a port of the
/// fixture's range, 26500–26999, like the cluster's) scrapes the load balancer's exporter and the instances, every
/// target is up, each failover check's instance raises InstanceDown and clears it after rejoining, every panel of
/// the group's dashboard has data among the metrics Prometheus really has, and the report shows it all.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterMonitoringTests(ClusterFixture cluster)
{
    [Fact]
    public async Task Prometheus_raises_and_clears_instance_down_during_failover_and_every_dashboard_panel_has_data()
    {
        var options = cluster.Options("monitored", """
            load-balancer: { service: lb, port: 80 }
            readiness: { path: /heartbeat, timeout: 60s }
            checks:
              - name: heartbeat through the load balancer
                http: { path: /heartbeat, json: { instance: "*" } }
              - name: not found through the load balancer
                http: { path: /nope, status: 404 }
              - name: app1 stopped and back
                failover: { service: app1, action: stop, path: /heartbeat, within: 3s, duration: 2s, rejoin-within: 30s }
              - name: app2 killed and back
                failover: { service: app2, action: kill, path: /heartbeat, within: 3s, duration: 2s, rejoin-within: 30s }
            """) with { MonitoringFile = new(cluster.MonitoringFile) };

        var runner = new ClusterRunner(cluster.Docker, options);
        var report = await runner.RunAsync(CancellationToken.None);

        report.Results.Where(r => !r.Passed).Should().BeEmpty();
        report.Results.Should().ContainSingle(r => r.Name == "every Prometheus target is up")
            .Which.Message.Should().Contain("haproxy").And.Contain("virtual-app");
        var alerts = report.Results.Where(r => r.Kind == "alert").ToList();
        alerts.Select(a => a.Name).Should().Equal("InstanceDown fires for app1 and clears", "InstanceDown fires for app2 and clears");
        alerts.Should().OnlyContain(a => a.Message.Contains("fired") && a.Message.Contains("cleared"));
        report.Results.Should().ContainSingle(r => r.Name == DashboardDataCheck.Name)
            .Which.Message.Should().Contain("Requests, Errors, Latency, Instance health");
        File.ReadAllText(options.Layout.Report).Should()
            .Contain("| ✅ | InstanceDown fires for app1 and clears | alert |").And.Contain("CLUSTER_PROMETHEUS_URL");

        // Prometheus went with the cluster.
        var prometheus = new Uri(report.Endpoints["CLUSTER_PROMETHEUS_URL"]);
        using var client = new TcpClient();
        var connect = async () => await client.ConnectAsync(prometheus.Host, prometheus.Port);
        await connect.Should().ThrowAsync<SocketException>();
        (await cluster.LeftAsync(runner.Project!.RunId)).Should().BeEmpty();
    }
}
