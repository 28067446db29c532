using Pipeline.Acme;
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
        .OnlyWhenStatic(() => HasCertificatesSection)
        .Executes(ct => WithCertificateStateAsync(objects => CertificateSteps.RestoreAsync(objects, ct), ct));

    Target Certificates => _ => _
        .Description("Issue or renew, through ACME, only the certificates of the environment that need it.")
        .DependsOn(RestoreCertificates)
        .OnlyWhenStatic(() => HasCertificatesSection)
        .Triggers(BackupCertificates)
        .Needs(PebbleServices.PebbleTool, PebbleServices.ChallTestSrvTool, S3rver.Tool)
        .Executes(async ct =>
        {
            // Pebble's spec writes its TLS files and config: it is made only when the directory is its address.
            if (PebbleAddresses.Any(a => a.Matches(CertificatesDefinition.Directory.AbsoluteUri)))
            {
                await LocalServices.StartAsync(ChallTestSrv, ct);
                await LocalServices.StartAsync(Pebble, ct);
            }
            var steps = CertificateSteps;
            await steps.IssueAsync(ForceIssue, ct);
            Pipeline.Monitoring.CertificateMetrics.Write(MetricsDirectory, EnvironmentName,
                CertificatesDefinition, await steps.Store.LoadAsync(ct));
        });

    Target BackupCertificates => _ => _
        .Description("Back the ACME state up to S3.")
        .OnlyWhenStatic(() => HasCertificatesSection)
        .Executes(ct => WithCertificateStateAsync(objects => CertificateSteps.BackupAsync(objects, ct), ct));

    Target InstallCertificates => _ => _
        .Description("Write one HAProxy PEM bundle (chain + key) per certificate; update a running HAProxy hitlessly.")
        .After(BackupCertificates)
        .DependsOn(Certificates)
        .OnlyWhenStatic(() => HasCertificatesSection)
        .Needs(Tool.Apt("haproxy"), Tool.Apt("curl") /* the local DNS-01 hook */)
        .Executes(ct => CertificateSteps.InstallAsync(ct));

    /// <summary>Pebble, the local test ACME CA: it owns its directory's address, 127.0.0.1:22000, and starts (with
    /// challtestsrv, its DNS) when the certificates: directory is there.</summary>
    LocalService Pebble => PebbleServices.Pebble(TemporaryDirectory / "pebble", PebblePorts.Local) with { Addresses = PebbleAddresses };

    static IReadOnlyList<OwnedAddress> PebbleAddresses => [OwnedAddress.Tcp(PebblePorts.Local.Directory)];

    /// <summary>pebble-challtestsrv: DNS for every name (127.0.0.1) and DNS-01 TXT records for Pebble.</summary>
    LocalService ChallTestSrv => PebbleServices.ChallTestSrv(PebblePorts.Local);

    /// <summary>
    /// Whether the environment has certificates to manage: the certificate targets run in every deploy (CI's deploy jobs
    /// among them), and an environment without a certificates: section (its TLS ends at a cloud balancer, say) skips them,
    /// as Dns is skipped without a dns: section.
    /// </summary>
    bool HasCertificatesSection => EnvironmentFile.Exists && EnvironmentRoot.Optional("certificates") is not null;

    CertificatesDefinition? _certificatesDefinition;
    /// <summary>The certificates: section, validated once per run (the input check, the steps and the targets share it).</summary>
    CertificatesDefinition CertificatesDefinition =>
        _certificatesDefinition ??= CertificatesDefinitionLoader.Load(EnvironmentRoot, EnvironmentName);

    CertificateSteps CertificateSteps =>
        new(CertificatesDefinition, AcmeLayout.Of(RootDirectory, TemporaryDirectory, EnvironmentName), DnsProvider);

    /// <summary>
    /// Restore and back-up share this: when the state's endpoint is the local s3rver's address (which creates the
    /// state's bucket at start-up, see <see cref="CertificateBucketsOnLocalS3"/>), start it; then open the bucket and act.
    /// </summary>
    async Task WithCertificateStateAsync(Func<S3ObjectStore, Task> act, CancellationToken ct)
    {
        using var objects = CertificateStateObjects();
        await LocalServices.StartIfOwnedAsync([LocalS3Address], () => LocalS3, [objects.Endpoint.ServiceUrl], ct);
        await act(objects);
    }

    /// <summary>Certificates' resources on the local s3rver: the ACME state's bucket, when the state lives there.</summary>
    IEnumerable<string> CertificateBucketsOnLocalS3() =>
        EnvironmentFile.Exists
        && EnvironmentRoot.Optional("certificates") is not null
        && LocalS3Address.Matches(CertificateStateLocation()?.Endpoint)
            ? [CertificatesDefinition.BackupBucket]
            : [];

    /// <summary>
    /// The bucket holding the ACME state, with credentials (--s3-access-key / --s3-secret-key; s3rver's public keys on
    /// loopback) as Backup uses them.
    /// </summary>
    S3ObjectStore CertificateStateObjects()
    {
        var location = CertificateStateLocation()
            ?? throw new UsageException(
                $"environments/{EnvironmentName}.yml: certificates/backup: no S3 endpoint (set certificates/backup/endpoint or "
                + $"s3/endpoint)."
            );
        return new S3ObjectStore(location.WithCredentials(S3AccessKey, S3SecretKey), CertificatesDefinition.BackupBucket);
    }

    /// <summary>Where the ACME state lives: certificates/backup/endpoint, else the s3: section's endpoint (region and path style from s3:);
    /// null when neither is set.</summary>
    S3Definition? CertificateStateLocation()
    {
        var s3 = EnvironmentRoot.Optional("s3") is null ? null : S3Definition.Load(EnvironmentRoot);
        return CertificatesDefinition.BackupEndpoint is { } endpoint
            ? new S3Definition(endpoint.TrimEnd('/'), s3?.Region ?? "us-east-1", s3?.PathStyle ?? new Uri(endpoint).IsLoopback)
            : s3;
    }
}
