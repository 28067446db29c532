namespace Pipeline.Clustering;

/// <summary>Where a check sends its traffic: a service of the compose file and a port inside its container.</summary>
public sealed record ServiceEndpoint(string Service, int Port)
{
    public override string ToString() => $"{Service}:{Port}";
}

/// <summary>One check of <c>environments/virtual/checks.yml</c>, run in file order.</summary>
public abstract record ClusterCheck(string Name);

/// <summary>An HTTP request and what its answer must be.</summary>
/// <param name="Json">Top-level JSON fields: a value to equal, or <c>*</c> for "present".</param>
/// <param name="BodyPattern">A regular expression the body must match.</param>
public sealed record HttpCheck(
    string Name,
    ServiceEndpoint Target,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    BasicAuth? Auth,
    string? Body,
    int Status,
    IReadOnlyDictionary<string, string> Json,
    string? BodyPattern,
    TimeSpan Timeout
) : ClusterCheck(Name);

public sealed record BasicAuth(string User, string Password);

/// <summary>A TCP connection to the service's published port must open.</summary>
public sealed record TcpCheck(string Name, ServiceEndpoint Target, TimeSpan Timeout) : ClusterCheck(Name);

/// <summary>A command run inside a service's container (Engine API exec): its exit code and output.</summary>
public sealed record ExecCheck(
    string Name,
    string Service,
    IReadOnlyList<string> Command,
    int ExitCode,
    string? OutputPattern,
    TimeSpan Timeout
) : ClusterCheck(Name);

public enum FailoverAction { Stop, Kill }

/// <summary>
/// Stop or kill one app instance; while it is down every request through the load balancer must answer
/// <paramref name="Status"/> within <paramref name="Within"/> for <paramref name="Duration"/>; then start it again and
/// within <paramref name="RejoinWithin"/> the load balancer must route to it again (its answer carries
/// <paramref name="InstanceField"/> = the service name).
/// </summary>
public sealed record FailoverCheck(
    string Name, string Service, FailoverAction Action, ServiceEndpoint Through, string Path, int Status,
    TimeSpan Within, TimeSpan Duration, TimeSpan RejoinWithin, string InstanceField) : ClusterCheck(Name);

/// <summary>The whole checks file.</summary>
/// <param name="LoadBalancer">Where "through the load balancer" goes, and what readiness waits for.</param>
/// <param name="ReadinessPath">The path that must answer 2xx through the load balancer before the checks start.</param>
public sealed record ClusterChecks(
    ServiceEndpoint LoadBalancer,
    string ReadinessPath,
    TimeSpan HealthTimeout,
    IReadOnlyList<ClusterCheck> Checks
);
