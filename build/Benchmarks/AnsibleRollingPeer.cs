using CliWrap;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Providers;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Benchmarks;

/// <summary>
/// The deploy benchmark's peer: <c>ansible-playbook</c> running <c>build/Benchmarks/ansible-rolling.yml</c> (serial: 2,
/// drain through HAProxy's runtime socket, replace, wait for health, enable) over one inventory host per instance of the
/// group. Its containers get the names, ports, environment and labels Pipeline's own would, so either tool can take the
/// group over from the other. Timed as the whole command, start-up included, as a user runs it.
/// </summary>
public static class AnsibleRollingPeer
{
    public static IReadOnlyList<Tool> Tools { get; } =
    [
        Tool.Apt("ansible-playbook", "ansible"),
        // community.docker's modules need the Docker SDK for Python
        Tool.Apt("/usr/lib/python3/dist-packages/docker/__init__.py", "python3-docker"),
    ];

    public static async Task RunAsync(
        AbsolutePath playbook,
        AbsolutePath directory,
        GroupDefinition group,
        string image,
        string haproxySocket,
        string backend,
        CancellationToken ct
    )
    {
        directory.CreateDirectory();
        var inventory = directory / "inventory.json";
        await File.WriteAllTextAsync(inventory, Inventory(group, image, haproxySocket, backend), ct);
        await Cli.Wrap("ansible-playbook")
            .WithArguments(["-i", inventory, "-f", "6", playbook])
            .WithEnvironmentVariables(e => e
                .Set("ANSIBLE_HOME", directory / "home")
                .Set("ANSIBLE_NOCOLOR", "1")
                .Set("ANSIBLE_LOCALHOST_WARNING", "False")
                .Set("ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3"))
            .RunBufferedAsync(ct);
    }

    /// <summary>The inventory: group <c>web</c>, one local host per instance, named as HAProxy's server is.</summary>
    public static string Inventory(GroupDefinition group, string image, string haproxySocket, string backend)
    {
        var hosts = new JsonObject();
        foreach (var d in DesiredInstance.For(group, image))
            hosts[d.Name] = new JsonObject
            {
                ["ansible_connection"] = "local",
                ["container"] = group.ContainerName(d.Slot),
                ["image"] = d.Image,
                ["bind"] = group.Ports.Bind,
                ["port"] = group.Ports.HostPort(d.Slot),
                ["container_port"] = group.Ports.Container,
                ["container_env"] = Strings(new Dictionary<string, string>(d.Env) { ["HEARTBEAT_INSTANCE"] = d.Name }),
                ["container_labels"] = Strings(DockerProvider.Labels(group, d)),
            };
        var vars = new JsonObject
        {
            ["haproxy_socket"] = haproxySocket,
            ["haproxy_backend"] = backend,
            ["health_path"] = group.Health.Path,
        };
        return new JsonObject { ["web"] = new JsonObject { ["hosts"] = hosts, ["vars"] = vars } }.ToJsonString(Indented);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static JsonObject Strings(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
}
