namespace Pipeline.Tools.Docker;

// The parts of the Engine API's answers Pipeline reads, copied from Docker.DotNet's models by EngineModels.

public sealed record VersionInfo(string Version, string ApiVersion, string MinAPIVersion, string Os, string Arch, string KernelVersion);

public sealed record ImageSummary(
    string Id,
    IReadOnlyList<string>? RepoTags,
    IReadOnlyDictionary<string, string>? Labels,
    long Created,
    long Size
)
{
    public IReadOnlyList<string> Tags => RepoTags?.Where(t => t != "<none>:<none>").ToList() ?? [];
    public string? Label(string key) => Labels is not null && Labels.TryGetValue(key, out var v) ? v : null;
}

public sealed record ImageConfig(
    IReadOnlyDictionary<string, string>? Labels, IReadOnlyList<string>? Env, IReadOnlyList<string>? Cmd, IReadOnlyList<string>? Entrypoint,
    IReadOnlyDictionary<string, object>? ExposedPorts, string? User, string? WorkingDir, HealthConfig? Healthcheck);

public sealed record HealthConfig(IReadOnlyList<string>? Test, long Interval, long Timeout, int Retries, long StartPeriod);

public sealed record ImageInspect(
    string Id,
    IReadOnlyList<string>? RepoTags,
    IReadOnlyList<string>? RepoDigests,
    string? Created,
    long Size,
    ImageConfig? Config
)
{
    public IReadOnlyDictionary<string, string> Labels => Config?.Labels ?? new Dictionary<string, string>();
}

public sealed record ContainerSummary(
    string Id,
    IReadOnlyList<string>? Names,
    string Image,
    IReadOnlyDictionary<string, string>? Labels,
    string State,
    string Status
)
{
    public string Name => Names?.FirstOrDefault()?.TrimStart('/') ?? Id[..12];
}

public sealed record HealthLogEntry(string? Start, string? End, int ExitCode, string? Output);
public sealed record HealthState(string Status, int FailingStreak, IReadOnlyList<HealthLogEntry>? Log);

public sealed record ContainerState(
    string Status,
    bool Running,
    bool Paused,
    bool Restarting,
    bool OOMKilled,
    bool Dead,
    int Pid,
    int ExitCode,
    string? Error,
    string? StartedAt,
    string? FinishedAt,
    HealthState? Health
)
{
    /// <summary><c>healthy</c>, <c>unhealthy</c>, <c>starting</c>, or <c>none</c> when the image has no health check.</summary>
    public string HealthStatus => Health?.Status ?? "none";
}

public sealed record PortBinding(string? HostIp, string? HostPort);
public sealed record EndpointSettings(string? IPAddress, string? NetworkID, IReadOnlyList<string>? Aliases);
public sealed record NetworkSettings(
    IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? Ports,
    IReadOnlyDictionary<string, EndpointSettings>? Networks
);
public sealed record ContainerConfig(
    string? Image,
    string? Hostname,
    IReadOnlyList<string>? Env,
    IReadOnlyDictionary<string, string>? Labels
)
{
    public HealthConfig? Healthcheck { get; init; }
}

public sealed record ContainerInspect(
    string Id,
    string Name,
    string Image,
    ContainerState State,
    ContainerConfig? Config,
    NetworkSettings? NetworkSettings
)
{
    /// <summary>The host port published for <paramref name="containerPort"/> (e.g. <c>8080/tcp</c>), if any.</summary>
    public int? HostPort(string containerPort)
    {
        var key = containerPort.Contains('/') ? containerPort : $"{containerPort}/tcp";
        return
            NetworkSettings?.Ports is { } ports
            && ports.TryGetValue(key, out var bindings)
            && bindings?.FirstOrDefault()?.HostPort is { } p
            && int.TryParse(p, out var port)
            ? port
            : null;
    }
}

public sealed record ExecInspect(string ID, bool Running, int? ExitCode, int Pid);

public sealed record NetworkSummary(string Id, string Name, string Driver, IReadOnlyDictionary<string, string>? Labels);

public sealed record VolumeSummary(string Name, string Driver, string Mountpoint, IReadOnlyDictionary<string, string>? Labels);

/// <summary>A container's output split into its streams.</summary>
public sealed record ContainerOutput(string StandardOutput, string StandardError)
{
    public string Combined => StandardOutput + StandardError;
}
