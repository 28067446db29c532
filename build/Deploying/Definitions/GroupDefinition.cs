namespace Pipeline.Deploying.Definitions;

public enum ProviderKind { Docker, Ssh, AwsAsg, GcpMig }

/// <summary>One instance group of an environment (<c>groups/&lt;name&gt;</c> in environments/&lt;env&gt;.yml).</summary>
/// <param name="Image">What the group runs: an image name from artifacts/published.json (or images.json), or a literal
/// <c>repo@sha256:…</c> / local <c>sha256:…</c> id.</param>
public sealed record GroupDefinition(
    string Environment,
    string Name,
    ProviderKind Provider,
    string Image,
    int Count,
    PortsDefinition Ports,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyDictionary<string, string> SecretEnv,
    HealthCheckDefinition Health,
    RollingPolicy Rolling,
    LoadBalancerDefinition? LoadBalancer,
    OutputsDefinition Outputs)
{
    public DockerHostDefinition? Docker { get; init; }
    public SshHostsDefinition? Ssh { get; init; }
    public AwsAsgDefinition? Aws { get; init; }
    public GcpMigDefinition? Gcp { get; init; }

    /// <summary><c>blue_green: dns|haproxy</c>: deploys start the idle colour and switch the group's dns: records or HAProxy's frontend
    /// to it.</summary>
    public BlueGreenDefinition? BlueGreen { get; init; }

    /// <summary><c>rolling/strategy: canary</c>: steps of canary and baseline instances judged before the group is rolled.</summary>
    public CanaryDefinition? Canary { get; init; }

    /// <summary>Set on one colour's view of a blue/green group (<see cref="InColour"/>): names carry the colour.</summary>
    public Colour? Colour { get; init; }

    /// <summary>Instance names are stable slots: <c>web-1</c> … <c>web-N</c> (<c>web-green-1</c> in a colour).</summary>
    public string InstanceName(int slot) => $"{Name}-{ColourPart}{slot}";
    /// <summary>Docker objects: <c>pipeline-&lt;env&gt;-&lt;group&gt;-&lt;slot&gt;</c> (with the colour before the slot).</summary>
    public string ContainerName(int slot) => $"pipeline-{Environment}-{Name}-{ColourPart}{slot}";

    private string ColourPart => Colour is { } c ? $"{c.Lower()}-" : "";

    /// <summary>One colour of a blue/green group: its names carry the colour, its ports are published on the colour's address (dns) or
    /// after the other colour's (haproxy).</summary>
    public GroupDefinition InColour(Colour colour) =>
        this with { Colour = colour, Ports = BlueGreen!.PortsOf(colour, Ports, Count), Rolling = Rolling with { MaxSurge = 0 } };

    /// <summary>Hosts the slots are spread over: slot n lives on host <c>(n-1) % HostCount</c> (ssh); one otherwise.</summary>
    public int HostCount => Ssh?.Hosts.Count ?? 1;
    public int HostIndex(int slot) => (slot - 1) % HostCount;

    /// <summary>The slots (and host ports) the group may use: <c>count</c>, plus <c>max_surge</c> spare ones per host in surge
    /// mode.</summary>
    public int SlotRange => Count + Rolling.MaxSurge * HostCount;
}

/// <param name="Container">The port the app listens on inside the container.</param>
/// <param name="HostBase">Instance n is published on <c>Bind:(HostBase + n - 1)</c>.</param>
public sealed record PortsDefinition(int Container, int HostBase, string Bind = "127.0.0.1")
{
    public int HostPort(int slot) => HostBase + slot - 1;
}

/// <param name="StartTimeout">How long a new instance may take to pass its first checks.</param>
public sealed record HealthCheckDefinition(
    string Path, int? Port, TimeSpan Interval, TimeSpan Timeout, int HealthyThreshold, int UnhealthyThreshold, TimeSpan StartTimeout);

public sealed record DockerHostDefinition(string Host);

/// <param name="KnownHosts">The file that pins every host's key (and the jump host's); keys are never added to it.</param>
/// <param name="Identity">A private key file, or the key itself from a secret parameter.</param>
public sealed record SshHostsDefinition(IReadOnlyList<string> Hosts, string User, int Port, string KnownHosts, string? Identity)
{
    /// <summary>The bastion (<c>jump: user@host:port</c>) the hosts are reached through, by port forwarding.</summary>
    public Tools.Ssh.SshEndpoint? Jump { get; init; }
}

/// <param name="Alarms">CloudWatch alarms that fail (and, with on_failure: rollback, roll back) an instance refresh when they go
/// off.</param>
public sealed record AwsAsgDefinition(
    string Region,
    string AutoScalingGroup,
    string LaunchTemplate,
    string? Endpoint,
    IReadOnlyList<int> Checkpoints
)
{
    public IReadOnlyList<string> Alarms { get; init; } = [];
}

/// <summary><c>gcp:</c> of a gcp-mig group: the zonal managed instance group and what its instance templates are made of.</summary>
/// <param name="ImageFamily">The boot disk's image family (<c>cos-stable</c>: Container-Optimized OS, which has docker).</param>
/// <param name="Subnetwork">When set, the network interface is on this subnetwork (<c>regions/R/subnetworks/S</c>) instead of <see
/// cref="Network"/>.</param>
public sealed record GcpMigDefinition(
    string Project,
    string Zone,
    string InstanceGroupManager,
    string TemplatePrefix,
    string MachineType,
    string? Endpoint
)
{
    public string ImageFamily { get; init; } = "cos-stable";
    public string ImageProject { get; init; } = "cos-cloud";
    public int DiskSizeGb { get; init; } = 10;
    public string Network { get; init; } = "default";
    public string? Subnetwork { get; init; }
    public string ServiceAccount { get; init; } = "default";
    public IReadOnlyList<string> Scopes { get; init; } = ["https://www.googleapis.com/auth/cloud-platform"];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <param name="FileSd">Where the Prometheus file_sd JSON of the group's members is written (relative to the root).</param>
/// <param name="HostAuditLog">A log on the target host the audit record is appended to (docker/ssh).</param>
/// <param name="Etcd">Keys of the members in traffic, written to etcd after each deploy.</param>
public sealed record OutputsDefinition(string? FileSd, string? HostAuditLog, EtcdOutputDefinition? Etcd = null);
