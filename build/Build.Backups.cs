using Pipeline.Engine;

namespace Pipeline;

/// <summary>Content-addressed S3 snapshots of the environment's backup sets, verified restore, retention.</summary>
partial class Build
{
    Target Backup => _ => _
        .Description("Snapshot the environment's backup sets to S3 (each file once by SHA-256, manifest last).")
        .After(Deploy)
        .Executes(() => NotYet(nameof(Backup), 9));

    Target Restore => _ => _
        .Description("Restore the latest (or --snapshot) snapshot, verifying every object, then swap it into place.")
        .Executes(() => NotYet(nameof(Restore), 9));

    Target BackupList => _ => _
        .Description("List the snapshots of the environment's backup sets.")
        .Executes(() => NotYet(nameof(BackupList), 9));

    Target PruneBackups => _ => _
        .Description("Apply retention, then remove objects no kept snapshot references (with a grace period).")
        .Executes(() => NotYet(nameof(PruneBackups), 9));

    Target VerifyBackups => _ => _
        .Description("Re-hash every stored object and check every snapshot is complete.")
        .Executes(() => NotYet(nameof(VerifyBackups), 9));
}
