using Pipeline.Engine;

namespace Pipeline.Clustering;

/// <summary>How one ClusterTest run goes.</summary>
/// <param name="Layout">Where it reads (environments/virtual/, artifacts/images.json) and writes (artifacts/cluster/,
/// .nuke/temp/cluster/).</param>
public sealed record ClusterOptions(ClusterLayout Layout)
{
    /// <summary>The checks to run: environments/virtual/checks.yml unless a test or benchmark gives its own.</summary>
    public AbsolutePath ChecksFile { get; init; } = Layout.Checks;
    /// <summary>The cluster's monitoring (environments/virtual/monitoring.yml): when the file exists, Debian's Prometheus
    /// scrapes the cluster during the run and the failover checks watch its InstanceDown alert.</summary>
    public AbsolutePath? MonitoringFile { get; init; } = Layout.Monitoring;
    /// <summary>Compose project names start with this (tests use <c>pipeline-cluster-test-</c>).</summary>
    public string ProjectPrefix { get; init; } = "pipeline-cluster-";
    /// <summary>Host ports for <c>${PORT_…}</c> come from this range (127.0.0.1 only).</summary>
    public (int First, int Last) Ports { get; init; } = (26000, 26499);
    /// <summary>Leave the cluster running (and print how to reach it) instead of tearing it down.</summary>
    public bool Keep { get; init; }
    /// <summary>An xunit project run with <c>dotnet test</c> against the cluster (endpoints as CLUSTER_* variables).</summary>
    public AbsolutePath? ClusterTests { get; init; }
    /// <summary>Overrides checks.yml's readiness timeout.</summary>
    public TimeSpan? HealthTimeout { get; init; }
    /// <summary>The bound of the teardown (which runs with its own token, also after Ctrl-C or SIGTERM).</summary>
    public TimeSpan TeardownTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
