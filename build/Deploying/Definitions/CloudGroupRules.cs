using Pipeline.Definitions;

namespace Pipeline.Deploying.Definitions;

/// <summary>
/// The settings an aws-asg or gcp-mig group cannot honour, refused by key instead of ignored: the cloud runs one
/// container per instance on ports/container, checks health and drains through its own load balancer, and has no
/// host of ours to write a log on. (rolling/bake means aws/checkpoints' CheckpointDelay, so it needs checkpoints.)
/// </summary>
internal static class CloudGroupRules
{
    public static void Check(GroupDefinition group, DefinitionNode node)
    {
        if (group.Provider is not (ProviderKind.AwsAsg or ProviderKind.GcpMig)) return;
        var kind = group.Provider == ProviderKind.AwsAsg ? "aws-asg" : "gcp-mig";
        var balancer = group.Provider == ProviderKind.AwsAsg ? "the group's target group" : "the backend service";
        Refuse(
            node.Optional("ports")?.Optional("host_base"),
            $"a {kind} instance runs one container, published on ports/container; host_base is for docker and ssh groups"
        );
        Refuse(
            node.Optional("ports")?.Optional("bind"),
            $"a {kind} instance publishes ports/container on all its interfaces; bind is for docker and ssh groups"
        );
        Refuse(node.Optional("load_balancer"), $"a {kind} group is put in traffic by {balancer}, not by Pipeline's HAProxy; remove it");
        Refuse(
            node.Optional("outputs")?.Optional("host_audit_log"),
            $"a {kind} group has no host of Pipeline's to write it on; the audit record is in artifacts/deploy/audit.jsonl"
        );
        foreach (var key in new[] { "path", "port", "interval", "timeout", "healthy_threshold", "unhealthy_threshold" })
            Refuse(
                node.Optional("health")?.Optional(key),
                $"a {kind} group's health is checked by {balancer} (and the cloud's own checks); only health/start_timeout applies"
            );
        foreach (var key in new[] { "drain_timeout", "stop_timeout" })
            Refuse(node.Optional("rolling")?.Optional(key), $"{balancer} drains a {kind} instance with its own deregistration delay");
        if (group.Provider == ProviderKind.AwsAsg)
        {
            Refuse(
                node.Optional("secret_env"),
                "aws-asg user data is readable by anyone allowed ec2:DescribeLaunchTemplateVersions; have the app read its secrets from "
                + "SSM Parameter Store or Secrets Manager with its instance role"
            );
            if (group.Aws!.Checkpoints.Count == 0)
                Refuse(
                    node.Optional("rolling")?.Optional("bake"),
                    "an aws-asg refresh waits rolling/bake at each of aws/checkpoints (CheckpointDelay); add checkpoints or remove bake"
                );
        }
        else
        {
            Refuse(
                node.Optional("rolling")?.Optional("bake"),
                "a gcp-mig rolling update (Compute Engine v1) has no pause between instances"
            );
            Refuse(
                node.Optional("rolling")?.Optional("warmup"),
                "Compute Engine v1's update policy has no warm-up (minReadySec is beta-only); set initialDelaySec in the group's "
                + "autohealing policy"
            );
        }
    }

    private static void Refuse(DefinitionNode? node, string why)
    {
        if (node is not null) throw node.Error($"not supported here: {why}");
    }
}
