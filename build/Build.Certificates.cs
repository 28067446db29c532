using Pipeline.Engine;

namespace Pipeline;

/// <summary>ACME certificates as a step: restored from S3 before asking, backed up after, installed.</summary>
partial class Build
{
    Target RestoreCertificates => _ => _
        .Description("Restore the ACME state (account, certificates) from S3 when local state is missing.")
        .Executes(() => NotYet(nameof(RestoreCertificates), 8));

    Target Certificates => _ => _
        .Description("Issue or renew, through ACME, only the certificates of the environment that need it.")
        .DependsOn(RestoreCertificates)
        .Triggers(BackupCertificates)
        .Executes(() => NotYet(nameof(Certificates), 8));

    Target BackupCertificates => _ => _
        .Description("Back the ACME state up to S3.")
        .Executes(() => NotYet(nameof(BackupCertificates), 8));
}
