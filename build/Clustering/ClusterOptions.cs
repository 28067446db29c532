namespace Pipeline.Clustering;

/// <summary>How one ClusterTest run goes; paths default to the repository layout.</summary>
/// <param name="Root">The repository root.</param>
public sealed record ClusterOptions(string Root)
{
    public string EnvironmentDirectory { get; init; } = Path.Combine(Root, "environments", "virtual");
    public string Template => Path.Combine(EnvironmentDirectory, "compose.template.yml");
    public string ChecksFile { get; init; } = Path.Combine(Root, "environments", "virtual", "checks.yml");
    public string ImagesManifest { get; init; } = Path.Combine(Root, "artifacts", "images.json");
    public string ArtifactsDirectory { get; init; } = Path.Combine(Root, "artifacts", "cluster");
    public string LogsDirectory => Path.Combine(ArtifactsDirectory, "logs");
    /// <summary>Where each run's rendered compose.yml lives: <c>.nuke/temp/cluster/&lt;run&gt;/</c>.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Root, ".nuke", "temp", "cluster");
    /// <summary>Compose project names start with this (tests use <c>pipeline-cluster-test-</c>).</summary>
    public string ProjectPrefix { get; init; } = "pipeline-cluster-";
    /// <summary>Host ports for <c>${PORT_…}</c> come from this range (127.0.0.1 only).</summary>
    public (int First, int Last) Ports { get; init; } = (26000, 26499);
    /// <summary>Leave the cluster running (and print how to reach it) instead of tearing it down.</summary>
    public bool Keep { get; init; }
    /// <summary>An xunit project run with <c>dotnet test</c> against the cluster (endpoints as CLUSTER_* variables).</summary>
    public string? ClusterTests { get; init; }
    /// <summary>Overrides checks.yml's readiness timeout.</summary>
    public TimeSpan? HealthTimeout { get; init; }
    /// <summary>The bound of the teardown (which runs with its own token, also after Ctrl-C or SIGTERM).</summary>
    public TimeSpan TeardownTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
