using Pipeline.Definitions;
using Pipeline.Tools.Ssh;

namespace Pipeline.Deploying.Definitions;

/// <summary>The provider-specific sections: <c>ssh:</c>, <c>aws:</c>, <c>gcp:</c>.</summary>
internal static partial class ProviderLoader
{
    public static SshHostsDefinition Ssh(DefinitionNode node)
    {
        node.AllowOnly("hosts", "user", "port", "known_hosts", "identity", "jump");
        var hosts = node.Required("hosts", "the hosts' addresses").Strings();
        if (hosts.Count == 0) throw node.Required("hosts").Error("must list at least one host");
        var user = node.Optional("user")?.String() ?? "deploy";
        return new SshHostsDefinition(hosts, user, node.Optional("port")?.Int(1, 65535) ?? 22,
            node.Required("known_hosts", "a known_hosts file pinning every host's key (host keys are never accepted blindly)").String(),
            node.Optional("identity")?.String())
        {
            Jump = node.Optional("jump") is { } jump ? Jump(jump, user) : null,
        };
    }

    /// <summary><c>jump: user@host:port</c>: the bastion the hosts are reached through (its key pinned in the same known_hosts).</summary>
    public static SshEndpoint Jump(DefinitionNode node, string defaultUser) =>
        SshEndpoint.TryParse(node.String(), defaultUser)
        ?? throw node.Error($"'{node.String()}' is not a jump host: write user@host or user@host:port");

    public static AwsAsgDefinition Aws(DefinitionNode node)
    {
        node.AllowOnly("region", "auto_scaling_group", "launch_template", "endpoint", "checkpoints", "alarms");
        var checkpoints = node.Optional("checkpoints")?.Items().Select(i => i.Int(1, 100)).ToList() ?? [];
        if (checkpoints.Zip(checkpoints.Skip(1)).Any(p => p.First >= p.Second))
            throw node.Required("checkpoints").Error("must rise (e.g. [20, 50, 100]): AWS refuses checkpoints out of order");
        return new AwsAsgDefinition(node.Required("region").String(), node.Required("auto_scaling_group").String(),
            node.Required("launch_template").String(), node.Optional("endpoint")?.String(), checkpoints)
        {
            Alarms = node.Optional("alarms")?.Strings() ?? [],
        };
    }

    public static GcpMigDefinition Gcp(DefinitionNode node)
    {
        node.AllowOnly("project", "zone", "instance_group_manager", "template_prefix", "machine_type", "endpoint",
            "image_family", "image_project", "disk_size_gb", "network", "subnetwork", "service_account", "scopes", "labels");
        var manager = node.Required("instance_group_manager").String();
        var d = new GcpMigDefinition("", "", "", "", "", null);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Optional("labels")?.Entries() ?? [])
            labels[key] = LabelText().IsMatch(key) && LabelText().IsMatch(value.String()) ? value.String()
                : throw value.Error("GCP labels are lower-case letters, digits, '-' and '_' (at most 63)");
        var subnetwork = node.Optional("subnetwork")?.String();
        if (subnetwork is not null && node.Optional("network") is { } network)
            throw network.Error("give 'network' or 'subnetwork', not both (a subnetwork belongs to one network)");
        return new GcpMigDefinition(node.Required("project").String(), node.Required("zone").String(), manager,
            node.Optional("template_prefix")?.String() ?? manager, node.Optional("machine_type")?.String() ?? "e2-small",
            node.Optional("endpoint")?.String())
        {
            ImageFamily = node.Optional("image_family")?.String() ?? d.ImageFamily,
            ImageProject = node.Optional("image_project")?.String() ?? d.ImageProject,
            DiskSizeGb = node.Optional("disk_size_gb")?.Int(10, 65536) ?? d.DiskSizeGb,
            Network = node.Optional("network")?.String() ?? d.Network,
            Subnetwork = subnetwork,
            ServiceAccount = node.Optional("service_account")?.String() ?? d.ServiceAccount,
            Scopes = node.Optional("scopes")?.Strings() ?? d.Scopes,
            Labels = labels,
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9_-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex LabelText();
}
