using Pipeline.Backups;
using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Engine.Services;

namespace Pipeline;

/// <summary>Content-addressed S3 snapshots of the environment's backup sets, verified restore, retention.</summary>
partial class Build
{
    [Parameter("Access key of the environment's S3 endpoint (not needed for the local s3rver)."), Secret]
    readonly string? S3AccessKey;

    [Parameter("Secret key of the environment's S3 endpoint (not needed for the local s3rver)."), Secret]
    readonly string? S3SecretKey;

    [Parameter("The backup sets to work on (default: all of the environment's sets).")]
    readonly string[] BackupSet = [];

    [Parameter("The snapshot id Restore restores (default: the latest of each set); see BackupList.")]
    readonly string? Snapshot;

    [Parameter("Restore into this folder (one subfolder per set and source) instead of over the sources.")]
    readonly AbsolutePath? RestoreInto;

    [Parameter("Passphrase of a key slot of the encrypted backup repositories (a new repository gets it as its first slot)."), Secret]
    readonly string? BackupPassphrase;

    [Parameter("Key file of a key slot of the encrypted backup repositories (made, 0600, when a new repository needs it).")]
    readonly AbsolutePath? BackupKeyFile;

    [Parameter("Write-only: the operators' public key (ExportBackupPublicKey writes it); Backup then adds snapshots it cannot read.")]
    readonly AbsolutePath? BackupPublicKey;

    [Parameter("AddBackupKey: the passphrase of the new key slot."), Secret]
    readonly string? NewBackupPassphrase;

    [Parameter("AddBackupKey: the key file of the new key slot (made when missing).")]
    readonly AbsolutePath? NewBackupKeyFile;

    [Parameter("RemoveBackupKey: the id of the key slot to remove (see BackupKeys).")]
    readonly string? BackupKeyId;

    [Parameter("Restore: the new database to restore the set's one database into (a clone on the same server; it must not exist).")]
    readonly string? IntoDatabase;

    [Parameter("Password of the backups' PostgreSQL servers whose url: has none.", EnvironmentVariable = "PGPASSWORD"), Secret]
    readonly string? PostgresPassword;

    [Parameter("Before backing up, wait while a deploy holds the environment's lock.")]
    readonly bool WaitForDeployLock;

    [Parameter("With --wait-for-deploy-lock: how long Backup waits for a deploy before failing, e.g. 45m.")]
    readonly TimeSpan BackupLockWait = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The local S3: s3rver on 127.0.0.1:23000, which owns that address (an s3 endpoint there is this s3rver), with the
    /// buckets each capability keeping objects there declares (s3rver creates them at start-up). Named so, not S3rver,
    /// to leave the S3rver class visible to other concerns.
    /// </summary>
    LocalService LocalS3 => Tools.S3.S3rver.Spec(TemporaryDirectory / "s3rver", LocalS3Port,
        _localS3Buckets ??= [.. BackupBucketsOnLocalS3(), .. CertificateBucketsOnLocalS3()]) with
    { Addresses = [LocalS3Address] };

    IReadOnlyList<string>? _localS3Buckets;

    const int LocalS3Port = 23000;
    static readonly OwnedAddress LocalS3Address = OwnedAddress.Tcp(LocalS3Port);

    /// <summary>Backups' resources on the local s3rver: its sets' buckets, when the environment's s3: endpoint is that s3rver.</summary>
    IEnumerable<string> BackupBucketsOnLocalS3() =>
        EnvironmentFile.Exists && EnvironmentRoot.Optional("s3") is not null && EnvironmentRoot.Optional("backups") is not null
            && LocalS3Address.Matches(S3Definition.Load(EnvironmentRoot).Endpoint)
            ? BackupsDefinition.Load(EnvironmentRoot, RootDirectory).Sets.Select(s => s.Bucket)
            : [];

    Target Backup => _ => _
        .Description("Snapshot the environment's backup sets to S3 (each file once by SHA-256, manifest last).")
        .After(Deploy)
        .Needs(Tools.S3.S3rver.Tool)
        .Needs([.. Tools.Postgres.PostgresCommands.Tools])
        .Executes(async ct =>
        {
            var (operations, definition) = await BackupsAsync(ct);
            await using var groups = WaitForDeployLock ? new Deploying.GroupTarget(DeployLayout) : null;
            await operations.BackupAsync(new BackupRequest(definition.Select(BackupSet))
            {
                DeployLock = groups is null ? NoDeployLock.Instance : DeployLockOf(groups),
                LockWait = BackupLockWait,
                DryRun = DryRun,
                MetricsFile = definition.MetricsFile ?? MetricsDirectory / "backup.prom",
            }, ct);
        });

    Target Restore => _ => _
        .Description("Restore the latest (or --snapshot) snapshot, verify every object, swap it into place (a database: --into-database).")
        .Needs(Tools.S3.S3rver.Tool)
        .Needs([.. Tools.Postgres.PostgresCommands.Tools])
        .Executes(async ct =>
        {
            var (operations, definition) = await BackupsAsync(ct);
            await operations.RestoreAsync(definition.Select(BackupSet), Snapshot, RestoreInto?.Value, DryRun, ct, IntoDatabase);
        });

    Target RestoreDrill => _ => _
        .Description("Restore each set's latest snapshot into a scratch folder or database, verify every hash, run checks, time it.")
        .Needs(Tools.S3.S3rver.Tool)
        .Needs([.. Tools.Postgres.PostgresCommands.Tools])
        .Executes(async ct =>
        {
            var (operations, definition) = await BackupsAsync(ct);
            await operations.DrillAsync(definition.Select(BackupSet), MetricsDirectory / "restore-drill.prom", ct);
        });

    Target BackupList => _ => _
        .Description("List the snapshots of the environment's backup sets.")
        .Needs(Tools.S3.S3rver.Tool)
        .Executes(async ct =>
        {
            var (operations, definition) = await BackupsAsync(ct);
            Log.Information(await operations.ListAsync(definition.Select(BackupSet), ct));
        });

    Target PruneBackups => _ => _
        .Description("Apply retention, then remove objects no kept snapshot references (with a grace period).")
        .Needs(Tools.S3.S3rver.Tool)
        .Executes(async ct =>
        {
            var (operations, definition) = await BackupsAsync(ct);
            await operations.PruneAsync(definition.Select(BackupSet), DryRun, ct);
        });

    Target VerifyBackups => _ => _
        .Description("Re-hash every stored object and check every snapshot is complete.")
        .Needs(Tools.S3.S3rver.Tool)
        .Executes(async ct =>
        {
            var (operations, definition) = await BackupsAsync(ct);
            var sets = definition.Select(BackupSet);
            try { await operations.VerifyAsync(sets, ct); }
            catch (PipelineException)
            {
                BackupMetrics.WriteVerified(MetricsDirectory, sets.Select(s => s.Name), ok: false, DateTimeOffset.UtcNow);
                throw;
            }
            BackupMetrics.WriteVerified(MetricsDirectory, sets.Select(s => s.Name), ok: true, DateTimeOffset.UtcNow);
        });

    Target BackupKeys => _ => _
        .Description("List the key slots of each encrypted backup repository (no key needed).")
        .Needs(Tools.S3.S3rver.Tool)
        .Executes(async ct =>
        {
            var (operations, definition) = await BackupsAsync(ct);
            Log.Information(await operations.ListKeysAsync(definition.Select(BackupSet), ct));
        });

    Target AddBackupKey => _ => _
        .Description("Add a key slot (--new-backup-passphrase or --new-backup-key-file) to the encrypted repositories, data untouched.")
        .Needs(Tools.S3.S3rver.Tool)
        .Executes(async ct =>
        {
            var added = NewBackupPassphrase is { Length: > 0 } p ? Credential.Passphrase(p)
                : NewBackupKeyFile is not null ? Credential.KeyFile(NewBackupKeyFile.Value, create: true)
                : throw new UsageException("AddBackupKey needs --new-backup-passphrase (NEW_BACKUP_PASSPHRASE) or --new-backup-key-file.");
            var (operations, definition) = await BackupsAsync(ct);
            await operations.AddKeyAsync(definition.Select(BackupSet), added, ct);
        });

    Target RemoveBackupKey => _ => _
        .Description("Remove the key slot --backup-key-id from the encrypted repositories (never the last one).")
        .Needs(Tools.S3.S3rver.Tool)
        .Executes(async ct =>
        {
            if (BackupKeyId is null) throw new UsageException("RemoveBackupKey needs --backup-key-id <id> (see ./build.sh BackupKeys).");
            var (operations, definition) = await BackupsAsync(ct);
            await operations.RemoveKeyAsync(definition.Select(BackupSet), BackupKeyId, ct);
        });

    Target ExportBackupPublicKey => _ => _
        .Description("Write the operators' public key for write-only hosts to --backup-public-key (or artifacts/backups/operators.pem).")
        .Needs(Tools.S3.S3rver.Tool)
        .Executes(async ct =>
        {
            var (operations, definition) = await BackupsAsync(ct, readOnly: true);
            var file = BackupPublicKey ?? ArtifactsDirectory / "backups" / "operators.pem";
            Log.Information(await operations.ExportPublicKeyAsync(definition.Select(BackupSet), file, ct));
            Log.Information($"Wrote {file}: give it to write-only hosts as --backup-public-key.");
        });

    /// <summary>What Backup waits on with --wait-for-deploy-lock: Deploy's lock of this environment, in the store Deploy uses.</summary>
    IDeployLock DeployLockOf(Deploying.GroupTarget groups)
    {
        if (EnvironmentRoot.Optional("groups") is null)
        {
            Log.Information($"{EnvironmentName} has no instance groups (nothing deploys there): not waiting for a deploy lock.");
            return NoDeployLock.Instance;
        }
        var watch = new DeployLockWatch(groups.LockStore(DeployDefinition));
        Log.Information($"--wait-for-deploy-lock: checking the deploy lock {watch.Location} first.");
        return watch;
    }

    /// <summary>Loads the environment's s3: and backups: sections; starts the local s3rver when the endpoint is its address.</summary>
    async Task<(BackupOperations, BackupsDefinition)> BackupsAsync(CancellationToken ct, bool readOnly = false)
    {
        var root = EnvironmentRoot;
        var s3 = S3Definition.Load(root);
        var definition = BackupsDefinition.Load(root, RootDirectory);
        Secrets.Register(S3AccessKey);
        Secrets.Register(S3SecretKey);
        var endpoint = s3.WithCredentials(S3AccessKey, S3SecretKey);
        // LocalS3 (its folder, its buckets) is made only when the endpoint is its address.
        await LocalServices.StartIfOwnedAsync([LocalS3Address], () => LocalS3, [endpoint.ServiceUrl], ct);
        var keyFile = BackupKeyFile?.Value ?? definition.KeyFile;
        var access = new RepositoryAccess(BackupPassphrase, keyFile, readOnly ? null : BackupPublicKey?.Value)
        {
            EncryptNew = definition.EncryptNew,
        };
        var operations = new BackupOperations(definition, endpoint, BackupState.In(TemporaryDirectory), access)
        {
            PostgresPassword = PostgresPassword,
        };
        return (operations, definition);
    }
}
