namespace Pipeline.Backups;

/// <summary>
/// One run of the Backup target: the sets to snapshot, and the deploy lock to wait for (<see cref="NoDeployLock"/>
/// unless <c>--wait-for-deploy-lock</c>) for at most <see cref="LockWait"/>.
/// </summary>
public sealed record BackupRequest(IReadOnlyList<BackupSet> Sets)
{
    public IDeployLock DeployLock { get; init; } = NoDeployLock.Instance;
    public TimeSpan LockWait { get; init; }
    public bool DryRun { get; init; }

    /// <summary>The Prometheus textfile the results are written to (none on a dry run).</summary>
    public string? MetricsFile { get; init; }
}
