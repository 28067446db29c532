using Pipeline.Definitions;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Deploying.Definitions;

/// <summary>Reads and validates one <c>groups/&lt;name&gt;</c> entry; every error names its key path.</summary>
internal static partial class GroupLoader
{
    private static readonly string[] Keys =
    [
        "provider",
        "image",
        "count",
        "ports",
        "env",
        "secret_env",
        "health",
        "rolling",
        "load_balancer",
        "outputs",
        "docker",
        "ssh",
        "aws",
        "gcp",
        "blue_green",
        "keep",
        "colours",
        "test_traffic",
    ];

    /// <param name="monitoring">The environment's Prometheus URL (null without a monitoring: section), for canary queries.</param>
    public static GroupDefinition Read(string environment, string name, DefinitionNode node, Func<Uri?>? monitoring = null)
    {
        if (!GroupName().IsMatch(name)) throw node.Error("group names are lower-case letters, digits and '-', starting with a letter");
        node.AllowOnly(Keys);
        var provider = node.Required("provider", "docker, ssh, aws-asg or gcp-mig").Enum<ProviderKind>();
        var image = node.Required("image", "an image name from artifacts/published.json, e.g. heartbeat").String();
        var count = node.Required("count", "how many instances").Int(min: 0, max: 99);
        var ports = ReadPorts(node.Optional("ports"), count);
        var group = new GroupDefinition(environment, name, provider, image, count, ports,
            ReadMap(node.Optional("env")), ReadMap(node.Optional("secret_env")),
            ReadHealth(node.Optional("health"), ports), ReadRolling(node.Optional("rolling"), count),
            ReadLoadBalancer(node.Optional("load_balancer")), ReadOutputs(node.Optional("outputs")));
        foreach (var value in group.SecretEnv.Values) Engine.Secrets.Register(value);
        var full = provider switch
        {
            ProviderKind.Docker => group with
            {
                Docker = new DockerHostDefinition(
                    node.Optional("docker")?.AllowOnly("host").Optional("host")?.String() ?? "unix:///var/run/docker.sock"
                ),
            },
            ProviderKind.Ssh => group with { Ssh = ProviderLoader.Ssh(node.Required("ssh", "hosts, user, known_hosts")) },
            ProviderKind.AwsAsg => group with
            {
                Aws = ProviderLoader.Aws(node.Required("aws", "region, auto_scaling_group, launch_template")),
            },
            _ => group with { Gcp = ProviderLoader.Gcp(node.Required("gcp", "project, zone, instance_group_manager")) },
        };
        full = full with { BlueGreen = BlueGreenDefinition.Read(node, ports) };
        full = full with { Canary = CanaryDefinition.Read(node, full, monitoring ?? (() => null)) };
        BlueGreenDefinition.Check(full, node);
        CloudGroupRules.Check(full, node);
        if (full.Ports.HostBase > 0 && full.Ports.HostBase + full.SlotRange - 1 > 65535)
            throw node.Required("ports")
                .Required("host_base")
                .Error($"the group needs {full.SlotRange} host ports from here (count + max_surge per host); lower it");
        return full;
    }

    private static PortsDefinition ReadPorts(DefinitionNode? node, int count)
    {
        if (node is null) return new PortsDefinition(8080, 0);
        node.AllowOnly("container", "host_base", "bind");
        var container = node.Required("container").Int(1, 65535);
        var hostBase = node.Optional("host_base")?.Int(1024, 65535 - count) ?? 0;
        var bind = node.Optional("bind")?.String() ?? "127.0.0.1";
        return new PortsDefinition(container, hostBase, bind);
    }

    private static IReadOnlyDictionary<string, string> ReadMap(DefinitionNode? node)
    {
        if (node is null) return new SortedDictionary<string, string>(StringComparer.Ordinal);
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Entries())
        {
            if (!EnvName().IsMatch(key))
                throw value.Error("environment variable names are letters, digits and '_', not starting with a digit");
            map[key] = value.String();
        }
        return map;
    }

    private static HealthCheckDefinition ReadHealth(DefinitionNode? node, PortsDefinition ports)
    {
        if (node is null)
            return new HealthCheckDefinition("/", null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 2, 3, TimeSpan.FromSeconds(60));
        node.AllowOnly("path", "port", "interval", "timeout", "healthy_threshold", "unhealthy_threshold", "start_timeout");
        var path = node.Optional("path")?.String() ?? "/";
        if (!path.StartsWith('/')) throw node.Required("path").Error("must start with '/' (e.g. /heartbeat)");
        var interval = Positive(node, "interval", TimeSpan.FromSeconds(1));
        var timeout = Positive(node, "timeout", TimeSpan.FromSeconds(2));
        return new HealthCheckDefinition(path, node.Optional("port")?.Int(1, 65535), interval, timeout,
            node.Optional("healthy_threshold")?.Int(1, 100) ?? 2, node.Optional("unhealthy_threshold")?.Int(1, 100) ?? 3,
            Positive(node, "start_timeout", TimeSpan.FromSeconds(60)));
    }

    private static RollingPolicy ReadRolling(DefinitionNode? node, int count)
    {
        var d = RollingPolicy.Default;
        if (node is null) return d;
        node.AllowOnly(["batch", "max_surge", "min_healthy_percent", "warmup", "bake", "drain_timeout", "stop_timeout", "on_failure",
            .. CanaryDefinition.RollingKeys], "key");
        var batch = node.Optional("batch") is { } b ? ReadBatch(b) : d.Batch;
        var policy = new RollingPolicy(batch,
            node.Optional("max_surge")?.Int(0, 99) ?? 0,
            node.Optional("min_healthy_percent")?.Int(0, 100) ?? d.MinHealthyPercent,
            node.Optional("warmup")?.Duration() ?? d.Warmup,
            node.Optional("bake")?.Duration() ?? d.Bake,
            Positive(node, "drain_timeout", d.DrainTimeout),
            Positive(node, "stop_timeout", d.StopTimeout),
            node.Optional("on_failure")?.Enum<FailureAction>() ?? d.OnFailure);
        if (policy.MaxSurge == 0 && policy.MinHealthyPercent == 100 && count > 1 && node.Optional("min_healthy_percent") is { } m)
            throw m.Error("100 leaves no instance to replace without surge (lower it, or set max_surge)");
        return policy;
    }

    private static BatchSize ReadBatch(DefinitionNode node)
    {
        var text = node.String().Trim();
        if (text.EndsWith('%'))
        {
            if (!int.TryParse(text[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
                throw node.Error($"'{text}' must be a count or a percentage (2, 25%)");
            if (percent is < 1 or > 100) throw node.Error("a percentage must be between 1% and 100%");
            return new BatchSize(percent, true);
        }
        return new BatchSize(node.Int(min: 1), false);
    }

    private static LoadBalancerDefinition? ReadLoadBalancer(DefinitionNode? node)
    {
        if (node is null) return null;
        var haproxy = node.AllowOnly("haproxy").Required("haproxy", "socket or address, and backend");
        haproxy.AllowOnly("socket", "address", "backend");
        var socket = haproxy.Optional("socket")?.String();
        var address = haproxy.Optional("address")?.String();
        if ((socket is null) == (address is null))
            throw haproxy.Error("give exactly one of 'socket' (the runtime API's unix socket) or 'address' (host:port)");
        if (
            address is not null
            && !(
                address.LastIndexOf(':') is var colon and > 0
                && int.TryParse(
                    address[(colon + 1)..],
                    System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture,
                    out var port
                )
                && port is >= 1 and <= 65535
            )
        )
            throw haproxy.Required("address").Error($"'{address}' must be host:port with a port of 1-65535, e.g. 127.0.0.1:25099");
        return new LoadBalancerDefinition(
            socket,
            address,
            haproxy.Required("backend", "the HAProxy backend the group's servers belong to").String()
        );
    }

    private static OutputsDefinition ReadOutputs(DefinitionNode? node)
    {
        if (node is null) return new OutputsDefinition(null, null);
        node.AllowOnly("file_sd", "host_audit_log", "etcd");
        return new OutputsDefinition(node.Optional("file_sd")?.String(), node.Optional("host_audit_log")?.String(),
            node.Optional("etcd") is { } etcd ? EtcdOutputDefinition.Read(etcd) : null);
    }

    internal static TimeSpan Positive(DefinitionNode node, string key, TimeSpan fallback)
    {
        if (node.Optional(key) is not { } value) return fallback;
        var span = value.Duration();
        return span > TimeSpan.Zero ? span : throw value.Error("must be longer than zero");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex GroupName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();
}
