namespace Pipeline.Server.Status;

/// <summary>A group's last deploy, from Deploy's freshness metrics (<c>deploy-&lt;env&gt;.prom</c>).</summary>
public sealed record GroupView(string Name, string? Image, string? DeployId, DateTimeOffset? LastDeploy, bool? Succeeded, double Rollbacks);

/// <summary>One running member of a group: where it listens (its file_sd listing), what runs there and whether it answers.</summary>
public sealed record InstanceView(string Group, string Address, string? Name, string? Image, string? Version, bool Healthy, string Health);

/// <summary>A certificate of the environment: its names (the environment file's set), expiry and renewal window start.</summary>
public sealed record CertificateView(IReadOnlyList<string> Names, DateTimeOffset? Expires, DateTimeOffset? RenewFrom);

/// <summary>A backup set: its last snapshot's time, size and files, and the last VerifyBackups run over it.</summary>
public sealed record BackupView(string Set, DateTimeOffset? LastSnapshot, double? Bytes, double? Files, DateTimeOffset? LastVerify,
    bool? VerifyOk);

/// <summary>One point of a set's history, kept by the server each time a new snapshot shows up in the metrics.</summary>
public sealed record BackupPoint(string Set, DateTimeOffset At, double Bytes);

/// <summary>A record set the Dns step left in the zone, and the instances (of the listings) its values point at.</summary>
public sealed record DnsRecordView(string Name, string Type, int Ttl, IReadOnlyList<string> Values, IReadOnlyList<string> PointsAt);
