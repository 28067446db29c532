using Pipeline.Acme;
using Pipeline.Backups;
using Pipeline.Definitions;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.S3;

namespace Pipeline;

/// <summary>ACME certificates as a step: restored from S3 before asking, backed up after, installed.</summary>
partial class Build
{
    [Parameter("Ask the CA even though restoring the ACME state from S3 failed (risks the CA's rate limits).")]
    readonly bool ForceIssue;

    Target RestoreCertificates => _ => _
        .Description("Restore the ACME state (account, certificates) from S3 when local state is missing.")
        .Executes(ct => WithCertificateStateAsync(objects => CertificateSteps.RestoreAsync(objects, ct), ct));

    Target Certificates => _ => _
        .Description("Issue or renew, through ACME, only the certificates of the environment that need it.")
        .DependsOn(RestoreCertificates)
        .Triggers(BackupCertificates)
        .Needs(PebbleServices.PebbleTool, PebbleServices.ChallTestSrvTool, S3rver.Tool)
        .Executes(async ct =>
        {
            if (CertificatesDefinition.Directory.IsLoopback)
            {
                await LocalServices.StartAsync(ChallTestSrv, ct);
                await LocalServices.StartAsync(Pebble, ct);
            }
            await CertificateSteps.IssueAsync(ForceIssue, ct);
        });

    Target BackupCertificates => _ => _
        .Description("Back the ACME state up to S3.")
        .Executes(ct => WithCertificateStateAsync(objects => CertificateSteps.BackupAsync(objects, ct), ct));

    Target InstallCertificates => _ => _
        .Description("Write one HAProxy PEM bundle (chain + key) per certificate; update a running HAProxy hitlessly.")
        .After(BackupCertificates)
        .DependsOn(Certificates)
        .Needs(Tool.Apt("haproxy"), Tool.Apt("curl") /* the local DNS-01 hook */)
        .Executes(ct => CertificateSteps.InstallAsync(ct));

    /// <summary>Pebble, the test ACME CA of the local environment (directory on 127.0.0.1:22000).</summary>
    LocalService Pebble => PebbleServices.Pebble(TemporaryDirectory / "pebble", PebblePorts.Local);

    /// <summary>pebble-challtestsrv: DNS for every name (127.0.0.1) and DNS-01 TXT records for Pebble.</summary>
    LocalService ChallTestSrv => PebbleServices.ChallTestSrv(PebblePorts.Local);

    CertificatesDefinition? _certificatesDefinition;
    /// <summary>The certificates: section, validated once per run (the input check, the steps and the targets share it).</summary>
    CertificatesDefinition CertificatesDefinition =>
        _certificatesDefinition ??= CertificatesDefinitionLoader.Load(EnvironmentRoot, EnvironmentName);

    CertificateSteps CertificateSteps => new(CertificatesDefinition, RootDirectory, EnvironmentName);

    /// <summary>
    /// Restore and back-up share this: when the state lives in the local environment's S3 (the s3rver Backup uses,
    /// which creates the state's bucket at start-up), start it; then open the bucket and act.
    /// </summary>
    async Task WithCertificateStateAsync(Func<S3ObjectStore, Task> act, CancellationToken ct)
    {
        using var objects = CertificateStateObjects();
        if (objects.Endpoint.ServiceUrl == S3rver.Endpoint(LocalS3Port).ServiceUrl) await LocalServices.StartAsync(LocalS3, ct);
        await act(objects);
    }

    /// <summary>
    /// The bucket holding the ACME state: at certificates/backup/endpoint, else at the s3: section's endpoint; region,
    /// path style and credentials (--s3-access-key / --s3-secret-key; s3rver's public keys on loopback) as Backup uses them.
    /// </summary>
    S3ObjectStore CertificateStateObjects()
    {
        var definition = CertificatesDefinition;
        var s3 = EnvironmentRoot.Optional("s3") is null ? null : S3Definition.Load(EnvironmentRoot);
        var location = definition.BackupEndpoint is { } endpoint
            ? new S3Definition(endpoint.TrimEnd('/'), s3?.Region ?? "us-east-1", s3?.PathStyle ?? new Uri(endpoint).IsLoopback)
            : s3
                ?? throw new UsageException(
                    $"environments/{EnvironmentName}.yml: certificates/backup: no S3 endpoint (set certificates/backup/endpoint or "
                    + $"s3/endpoint)."
                );
        return new S3ObjectStore(location.WithCredentials(S3AccessKey, S3SecretKey), definition.BackupBucket);
    }
}
