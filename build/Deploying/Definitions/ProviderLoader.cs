using Pipeline.Definitions;

namespace Pipeline.Deploying.Definitions;

/// <summary>The provider-specific sections: <c>ssh:</c>, <c>aws:</c>, <c>gcp:</c>.</summary>
internal static class ProviderLoader
{
    public static SshHostsDefinition Ssh(DefinitionNode node)
    {
        node.AllowOnly("hosts", "user", "port", "known_hosts", "identity");
        var hosts = node.Required("hosts", "the hosts' addresses").Strings();
        if (hosts.Count == 0) throw node.Required("hosts").Error("must list at least one host");
        return new SshHostsDefinition(hosts, node.Optional("user")?.String() ?? "deploy", node.Optional("port")?.Int(1, 65535) ?? 22,
            node.Required("known_hosts", "a known_hosts file pinning every host's key (host keys are never accepted blindly)").String(),
            node.Optional("identity")?.String());
    }

    public static AwsAsgDefinition Aws(DefinitionNode node)
    {
        node.AllowOnly("region", "auto_scaling_group", "launch_template", "endpoint", "checkpoints");
        var checkpoints = node.Optional("checkpoints")?.Items().Select(i => i.Int(1, 100)).ToList() ?? [];
        return new AwsAsgDefinition(node.Required("region").String(), node.Required("auto_scaling_group").String(),
            node.Required("launch_template").String(), node.Optional("endpoint")?.String(), checkpoints);
    }

    public static GcpMigDefinition Gcp(DefinitionNode node)
    {
        node.AllowOnly("project", "zone", "instance_group_manager", "template_prefix", "machine_type", "endpoint");
        var manager = node.Required("instance_group_manager").String();
        return new GcpMigDefinition(node.Required("project").String(), node.Required("zone").String(), manager,
            node.Optional("template_prefix")?.String() ?? manager, node.Optional("machine_type")?.String() ?? "e2-small",
            node.Optional("endpoint")?.String());
    }
}
