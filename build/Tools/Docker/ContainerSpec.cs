namespace Pipeline.Tools.Docker;

/// <summary>A port of the container published on the host (by default on 127.0.0.1; HostPort 0 lets the engine choose).</summary>
public sealed record PortMapping(int ContainerPort, int HostPort = 0, string HostIp = "127.0.0.1", string Protocol = "tcp")
{
    public string Key => $"{ContainerPort}/{Protocol}";
}

/// <summary>A health check of the container (<c>Test</c> as in a Dockerfile: <c>["CMD", "curl", "-f", "…"]</c> or <c>["CMD-SHELL",
/// "…"]</c>).</summary>
public sealed record HealthcheckSpec(IReadOnlyList<string> Test)
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);
    public int Retries { get; init; } = 3;
    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;
}

/// <summary>What <c>POST /containers/create</c> needs to make a container; see <see cref="EngineParameters.Create"/>.</summary>
public sealed record ContainerSpec(string Image)
{
    public string? Name { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];
    public HealthcheckSpec? Healthcheck { get; init; }
    /// <summary>A network to attach to (its name), with optional aliases on it.</summary>
    public string? Network { get; init; }
    public IReadOnlyList<string> NetworkAliases { get; init; } = [];
    public string? Hostname { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    /// <summary>Bind mounts and named volumes, <c>source:/target[:ro]</c>.</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];
    /// <summary><c>no</c>, <c>always</c>, <c>unless-stopped</c>, <c>on-failure</c>.</summary>
    public string? RestartPolicy { get; init; }
    public bool AutoRemove { get; init; }
    public bool Privileged { get; init; }
    public bool Init { get; init; }
    public long? MemoryBytes { get; init; }
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public TimeSpan? StopTimeout { get; init; }
}
