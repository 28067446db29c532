using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Engine;
using Pipeline.Tools.Acme;
using Pipeline.Tools.S3;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Pipeline.IntegrationTests.Acme;

[Collection(PebbleCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CertificatesAgainstPebbleTests(PebbleFixture pebble)
{
    private static readonly string[] Five =
    [
        "www.five.example.com",
        "api.five.example.com",
        "admin.five.example.com",
        "static.five.example.com",
        "status.five.example.com",
    ];

    private async Task VerifyAgainstPebblesRootAsync(CertificateState certificate)
    {
        using var http = pebble.Http();
        using var root = await PebbleServices.RootAsync(http, PebbleFixture.Ports, CancellationToken.None);
        AcmeHttp.ChainVerifies(certificate.Chain, root, out var status).Should().BeTrue(status);
        using var leaf = certificate.Leaf();
        var san = new X509SubjectAlternativeNameExtension(leaf.Extensions.Single(e => e.Oid?.Value == "2.5.29.17").RawData);
        san.EnumerateDnsNames().Should().BeEquivalentTo(certificate.Names);
    }

    [Fact]
    public async Task One_name_and_five_names_are_issued_verify_against_Pebbles_root_and_a_second_run_places_no_order()
    {
        var (steps, definition, _) = pebble.EnvironmentWith(
            "    - names: [one.example.com]\n    - names: [" + string.Join(", ", Five) + "]",
            "issue"
        );

        var first = await steps.IssueAsync(forceIssue: false, CancellationToken.None);
        first.OrdersCreated.Should().Be(2);
        foreach (var set in definition.Sets) await VerifyAgainstPebblesRootAsync(first.State.Find(set.Key)!);
        File.GetUnixFileMode(steps.Store.Path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var second = await steps.IssueAsync(forceIssue: false, CancellationToken.None);
        second.OrdersCreated.Should().Be(0);
        second.Plans.Should().OnlyContain(p => p.Action == CertificateAction.UpToDate);
    }

    [Fact]
    public async Task Deleted_local_state_is_restored_from_S3_and_the_next_run_places_no_order()
    {
        var (steps, _, _) = pebble.EnvironmentWith("    - names: [restore.example.com]", "restore");
        using var objects = pebble.Objects();
        (await steps.RestoreAsync(objects, CancellationToken.None)).Should().Be(RestoreOutcome.NoBackup);
        (await steps.IssueAsync(false, CancellationToken.None)).OrdersCreated.Should().Be(1);
        (await steps.BackupAsync(objects, CancellationToken.None)).Should().BeTrue();
        (await steps.BackupAsync(objects, CancellationToken.None)).Should().BeFalse("nothing changed since the backup");

        File.Delete(steps.Store.Path);
        (await steps.RestoreAsync(objects, CancellationToken.None)).Should().Be(RestoreOutcome.Restored);
        (await steps.IssueAsync(false, CancellationToken.None)).OrdersCreated.Should().Be(0);
    }

    [Fact]
    public async Task A_truncated_local_state_is_replaced_by_the_good_copy_in_S3_with_a_warning_naming_the_file_and_no_new_order()
    {
        var (steps, _, _) = pebble.EnvironmentWith("    - names: [truncated.example.com]", "truncated");
        using var objects = pebble.Objects();
        (await steps.IssueAsync(false, CancellationToken.None)).OrdersCreated.Should().Be(1);
        (await steps.BackupAsync(objects, CancellationToken.None)).Should().BeTrue();
        var whole = await File.ReadAllBytesAsync(steps.Store.Path);
        await File.WriteAllBytesAsync(steps.Store.Path, whole[..(whole.Length / 2)]); // a write cut short, a disk that filled up
        await steps
            .Invoking(s => s.IssueAsync(false, CancellationToken.None))
            .Should()
            .ThrowAsync<PipelineException>()
            .WithMessage(
                $"{steps.Store.Path}: not a readable ACME state (*); run RestoreCertificates to put the backed-up copy in its place, or "
                + $"move it away to start fresh."
            );

        var log = new Pipeline.IntegrationTests.Packaging.CapturedLog();
        var outcome = await log.RunAsync(() => steps.RestoreAsync(objects, CancellationToken.None));
        var next = await steps.IssueAsync(false, CancellationToken.None);

        outcome.Should().Be(RestoreOutcome.RecoveredFromBackup);
        next.OrdersCreated.Should().Be(0);
        (await File.ReadAllBytesAsync(steps.Store.Path)).Should().Equal(whole);
        var aside = Directory.GetFiles(Path.GetDirectoryName(steps.Store.Path)!, "acme.json.damaged-*").Should().ContainSingle().Which;
        (await File.ReadAllBytesAsync(aside)).Should().HaveCount(whole.Length / 2);
        log.Lines.Should()
            .ContainSingle(l =>
                l.StartsWith($"Local ACME state {steps.Store.Path} is damaged (")
                && l.Contains($"restored the good copy from s3://{PebbleFixture.Bucket}/")
                && l.Contains("(the copy this machine backed up last; ACME state (account, 1 certificate(s)))")
                && l.EndsWith($"the damaged file is kept as {aside}.")
            );
    }

    [Fact]
    public async Task When_S3_is_unreachable_the_CA_is_not_asked_unless_forced()
    {
        var (steps, _, _) = pebble.EnvironmentWith("    - names: [unreachable.example.com]", "unreachable");
        using var nothingListens = new S3ObjectStore(S3rver.Endpoint(22199), PebbleFixture.Bucket);

        (await steps.RestoreAsync(nothingListens, CancellationToken.None)).Should().Be(RestoreOutcome.FailedTransiently);
        await steps
            .Invoking(s => s.IssueAsync(false, CancellationToken.None))
            .Should()
            .ThrowAsync<PipelineException>()
            .WithMessage("Not asking the CA*--force-issue*");
        File.Exists(steps.Store.Path).Should().BeFalse("no account was even created");

        (await steps.IssueAsync(forceIssue: true, CancellationToken.None)).OrdersCreated.Should().Be(1);
    }

    [Fact]
    public async Task A_wildcard_is_issued_through_DNS_01_by_the_hook_script_setting_TXT_records_in_challtestsrv()
    {
        var hook = Path.Combine(PebbleFixture.RepositoryRoot, "scripts", "acme-dns-challtestsrv.sh");
        var (steps, definition, _) = pebble.EnvironmentWith(
            $"    - names: ['*.wild.example.com', wild.example.com]\n      challenge: {{ type: dns-01, dns-hook: [{hook}, "
            + $"{PebbleFixture.Ports.ChallTestSrvUrl}] }}",
            "dns"
        );

        var result = await steps.IssueAsync(false, CancellationToken.None);
        result.OrdersCreated.Should().Be(1);
        await VerifyAgainstPebblesRootAsync(result.State.Find(definition.Sets[0].Key)!);
    }

    [Fact]
    public async Task RSA_2048_certificates_and_HAProxy_bundles_are_written_with_mode_0600()
    {
        var (_, definition, root) = pebble.EnvironmentWith("    - names: [rsa.example.com]", "rsa");
        var steps = new CertificateSteps(
            definition with
            {
                KeyType = KeyType.Rsa2048,
                InstallDirectory = "haproxy-certs",
            },
            PebbleFixture.LayoutIn(root, "rsa")
        );
        var result = await steps.IssueAsync(false, CancellationToken.None);
        using var leaf = result.State.Certificates.Single().Leaf();
        leaf.GetRSAPublicKey()!.KeySize.Should().Be(2048);

        await steps.InstallAsync(CancellationToken.None);
        var bundle = Path.Combine(root, "haproxy-certs", "rsa.example.com.pem");
        File.ReadAllText(bundle).Should().StartWith("-----BEGIN CERTIFICATE-----").And.Contain("PRIVATE KEY");
        File.GetUnixFileMode(bundle).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
