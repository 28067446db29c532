using Pipeline.Definitions;

[assembly: EnvironmentSection("backups", "Backup")]

namespace Pipeline.Backups;

/// <summary>
/// The <c>backups:</c> section of environments/&lt;env&gt;.yml: defaults (bucket, prefix, time zone, grace period,
/// upload concurrency, where metrics go) and the named sets.
/// </summary>
/// <example>
/// backups:
///   bucket: pipeline-backups
///   time-zone: Europe/Berlin
///   sets:
///     acme: { sources: [.nuke/temp/acme], retention: { last: 5, daily: 7 } }
///     grafana: { sources: [{ container: grafana, path: /var/lib/grafana }], exclude: ["*.tmp"] }
/// </example>
public sealed record BackupsDefinition(IReadOnlyList<BackupSet> Sets, TimeSpan GracePeriod, int Concurrency, string? MetricsFile)
{
    /// <summary>How sources on hosts are reached (<c>backups/ssh</c>); set whenever a set has one.</summary>
    public BackupSshDefinition? Ssh { get; init; }

    /// <summary>Whether a new repository is encrypted (<c>encryption: aes-256-gcm</c>, the default, or <c>none</c>); an existing
    /// repository is read as its marker says.</summary>
    public bool EncryptNew { get; init; } = true;

    /// <summary><c>key-file</c>: the key file of a key slot, made when a new repository needs it (--backup-key-file overrides
    /// it).</summary>
    public string? KeyFile { get; init; }

    public static BackupsDefinition Load(DefinitionNode root, Engine.AbsolutePath repositoryRoot)
    {
        var node = root.Required("backups", "add a backups: section with sets")
            .AllowOnly("bucket", "prefix", "time-zone", "grace-period", "concurrency", "metrics-file", "sets", "ssh", "encryption",
                "key-file");
        var encryption = node.Optional("encryption")?.String() ?? RepositoryConfig.Aes256Gcm;
        if (encryption is not (RepositoryConfig.Aes256Gcm or RepositoryConfig.None))
            throw node.Required("encryption").Error($"must be {RepositoryConfig.Aes256Gcm} (the default) or {RepositoryConfig.None}");
        var zone = node.Optional("time-zone") is { } z ? RetentionPolicy.TimeZoneOf(z) : TimeZoneInfo.Utc;
        var bucket = node.Optional("bucket") is { } b ? BackupSet.CheckedBucket(b) : null;
        var prefix = node.Optional("prefix")?.String() ?? "";
        var grace = node.Optional("grace-period")?.Duration() ?? TimeSpan.FromHours(24);
        if (grace < TimeSpan.Zero) throw node.Required("grace-period").Error("must not be negative");
        var concurrency = node.Optional("concurrency")?.Int(1, 64) ?? 8;
        var metrics = node.Optional("metrics-file")?.String();
        var setsNode = node.Required("sets", "a mapping of set names to { sources, exclude, retention }");
        var sets = setsNode.Entries().Select(e => BackupSet.Load(e.Key, e.Value, repositoryRoot, bucket, prefix, zone)).ToList();
        if (sets.Count == 0) throw setsNode.Error("names no set");
        var ssh = node.Optional("ssh") is { } sshNode ? BackupSshDefinition.Load(sshNode, repositoryRoot) : null;
        if (ssh is null && sets.SelectMany(s => s.Sources).FirstOrDefault(s => s.Kind == SourceKind.Ssh) is { } remote)
            throw node.Error(
                $"'ssh' is missing: the source {remote.Name} is on a host; add ssh: {{ known_hosts: <file pinning its key>, identity: "
                + $"<key> }}"
            );
        return new BackupsDefinition(sets, grace, concurrency,
            metrics is null ? null : Engine.AbsolutePath.Parse(metrics, repositoryRoot).Value)
        {
            Ssh = ssh,
            EncryptNew = encryption == RepositoryConfig.Aes256Gcm,
            KeyFile = node.Optional("key-file")?.String() is { } keyFile ? Engine.AbsolutePath.Parse(keyFile, repositoryRoot).Value : null,
        };
    }

    /// <summary>The named sets, or all when <paramref name="names"/> is empty; an unknown name is a usage error.</summary>
    public IReadOnlyList<BackupSet> Select(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0) return Sets;
        foreach (var name in names)
            if (Sets.All(s => s.Name != name))
                throw new Engine.UsageException(
                    $"There is no backup set '{name}'.{Engine.Suggestions.DidYouMean(name, Sets.Select(s => s.Name))} Sets: "
                    + $"{string.Join(", ", Sets.Select(s => s.Name))}"
                );
        return Sets.Where(s => names.Contains(s.Name)).ToList();
    }
}
