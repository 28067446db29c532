using Pipeline.Definitions;

[assembly: EnvironmentSection("groups", "Deploy")]
[assembly: EnvironmentSection("lock", "Deploy")]

namespace Pipeline.Deploying.Definitions;

/// <summary>The <c>groups:</c> and <c>lock:</c> sections of environments/&lt;env&gt;.yml, validated on load.</summary>
public sealed record EnvironmentDeployment(string Environment, LockDefinition Lock, IReadOnlyList<GroupDefinition> Groups)
{
    /// <summary>Reads the file; other sections (s3:, backups:, registries:…) belong to other capabilities and are ignored.</summary>
    public static EnvironmentDeployment Load(
        string path,
        string displayName,
        string environment,
        Func<string, string?>? variables = null
    ) => From(EnvironmentFile.Load(path, displayName, variables), environment);

    public static EnvironmentDeployment Parse(
        string yaml,
        string displayName,
        string environment,
        Func<string, string?>? variables = null
    ) => From(DefinitionFile.Parse(yaml, displayName, variables), environment);

    public static EnvironmentDeployment From(DefinitionNode root, string environment)
    {
        var lockDefinition = root.Optional("lock") is { } l ? LockLoader.Read(l) : LockDefinition.Default;
        var groups = root.Required(
            "groups",
            "the instance groups to deploy: groups: { web: { provider: docker, image: heartbeat, count: 2 } }"
        );
        Uri? Prometheus() => root.Optional("monitoring") is null ? null
            : new Uri(Pipeline.Monitoring.MonitoringDefinitionLoader.Load(root, environment, lockDefinition.Ttl).Prometheus.Url);
        var list = groups.Entries().Select(e => GroupLoader.Read(environment, e.Key, e.Value, Prometheus)).ToList();
        if (list.Count == 0) throw groups.Error("must name at least one group");
        return new EnvironmentDeployment(environment, lockDefinition, list);
    }

    public GroupDefinition Group(string name) =>
        Groups.FirstOrDefault(g => g.Name == name)
        ?? throw new Engine.UsageException(
            $"environment '{Environment}' has no group '{name}'.{Engine.Suggestions.DidYouMean(name, Groups.Select(g => g.Name))}  "
            + $"Groups: {string.Join(", ", Groups.Select(g => g.Name))}"
        );
}

internal static class LockLoader
{
    public static LockDefinition Read(DefinitionNode node)
    {
        node.AllowOnly("ttl", "directory", "s3_key", "s3_bucket", "s3_endpoint", "s3_region");
        var ttl = node.Optional("ttl")?.Duration() ?? LockDefinition.Default.Ttl;
        if (ttl < TimeSpan.FromSeconds(5)) throw node.Required("ttl").Error("must be at least 5s (the lock is refreshed every ttl/3)");
        var directory = node.Optional("directory")?.String() ?? LockDefinition.Default.Directory;
        var key = node.Optional("s3_key")?.String();
        var bucket = node.Optional("s3_bucket")?.String();
        if ((key is null) != (bucket is null)) throw node.Error("give both 's3_bucket' and 's3_key' for an S3 lock, or neither");
        return new LockDefinition(
            ttl,
            directory,
            key,
            bucket,
            node.Optional("s3_endpoint")?.String(),
            node.Optional("s3_region")?.String() ?? "us-east-1"
        );
    }
}
