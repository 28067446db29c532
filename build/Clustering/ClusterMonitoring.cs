using Pipeline.Definitions;
using Pipeline.Monitoring;

namespace Pipeline.Clustering;

/// <summary>
/// <c>environments/virtual/monitoring.yml</c>: the virtual cluster's <c>monitoring:</c> section (the same section as an
/// environment file's, read by <see cref="MonitoringDefinitionLoader"/>: intervals and alert thresholds, short for a
/// test) and what Prometheus scrapes in the cluster: the load balancer's built-in exporter and one group's members.
/// The addresses are the run's (compose publishes them on free 127.0.0.1 ports), so the file names services and ports
/// inside their containers.
/// </summary>
/// <param name="Haproxy">The load balancer's service and the container port its exporter answers <c>/metrics</c> on.</param>
/// <param name="Group">The group the members form (its file_sd job is <c>virtual-&lt;group&gt;</c>, its dashboard the group's).</param>
/// <param name="Backend">The group's HAProxy backend (the exporter's <c>proxy</c> label).</param>
/// <param name="Members">The services of the group's members, each scraped at <paramref name="MemberPort"/>/metrics.</param>
public sealed record ClusterMonitoring(
    MonitoringDefinition Definition, ServiceEndpoint Haproxy, string Group, string Backend, IReadOnlyList<string> Members, int MemberPort)
{
    public const string Environment = "virtual";

    public static ClusterMonitoring Load(string path, string displayName)
    {
        var root = DefinitionFile.Load(path, displayName).AllowOnly("monitoring", "scrape");
        var definition = MonitoringDefinitionLoader.Load(root, Environment, Deploying.Definitions.LockDefinition.Default.Ttl);
        var scrape = root.Required("scrape", "e.g. scrape: { haproxy: { service: lb, port: 80 }, group: { name: app, ... } }")
            .AllowOnly("haproxy", "group");
        var haproxy = scrape.Required("haproxy", "the load balancer's service and the port of its /metrics").AllowOnly("service", "port");
        var group = scrape.Required("group", "e.g. { name: app, backend: app, port: 8080, members: [app1, app2] }")
            .AllowOnly("name", "backend", "port", "members");
        var members = group.Required("members", "the services of the group's instances").Strings();
        if (members.Count == 0) throw group.Required("members").Error("must list at least one service");
        var name = group.Required("name").String();
        return new ClusterMonitoring(
            definition,
            new ServiceEndpoint(haproxy.Required("service").String(), haproxy.Required("port").Int(1, 65535)),
            name,
            group.Optional("backend")?.String() ?? name,
            members,
            group.Required("port", "the port of the members' /metrics inside their containers").Int(1, 65535));
    }

    /// <summary>The group as the monitoring renderer sees it, its members listed in <paramref name="fileSd"/>.</summary>
    public MonitoredGroup MonitoredGroup(string? fileSd) => new(Group, fileSd, Backend);
}
