using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Definitions;
using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.IntegrationTests.Dns;
using Pipeline.Tools.Acme;
using Pipeline.Tools.Dns;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Pipeline.IntegrationTests.Acme;

/// <summary>
/// DNS-01 through the dns: section's rfc2136 provider: a real BIND 9 (free loopback port, TSIG key) holds the zone, and a Pebble
/// of this test's own (127.0.0.1:22200–22203) validates by asking that BIND (its -dnsserver), so the certificate is issued only
/// when the TXT records really are in the zone.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Dns01ThroughBindTests : IAsyncLifetime
{
    private const string Zone = "dns01.test";
    private readonly AbsolutePath _directory = new(Directory.CreateTempSubdirectory("test-dns01-").FullName);
    private BindServer _bind = null!;
    private PebblePorts _ports = null!;
    private LocalServiceManager Services => new(_directory / "services");

    public async Task InitializeAsync()
    {
        _bind = await BindServer.StartAsync(Zone);
        _ports = new PebblePorts(22200, 22201, 22202, 22203, _bind.Port, 0);
        await Services.StartAsync(PebbleServices.Pebble(_directory / "pebble", _ports, "dns01-tests-pebble"), CancellationToken.None);
    }

    [Fact]
    public async Task A_wildcard_certificate_is_issued_through_DNS_01_via_the_rfc2136_provider_and_the_challenge_records_are_removed()
    {
        var yaml = $"""
            certificates:
              directory: {_ports.DirectoryUrl}
              trust: {PebbleServices.TrustFile(_directory / "pebble")}
              challenge: {"{"} type: dns-01, provider: bind {"}"}
              sets:
                - names: ['*.wild.{Zone}', wild.{Zone}]
            """;
        var definition = CertificatesDefinitionLoader.Load(DefinitionFile.Parse(yaml, "environments/dns01.yml", _ => null), "dns01");
        var bind = new Rfc2136ProviderDefinition("bind", _bind.Server, _bind.Key.Name, _bind.Key.Algorithm);
        var root = _directory / "root";
        var steps = new CertificateSteps(definition, AcmeLayout.Of(root, root / ".nuke" / "temp", "dns01"),
            name => name == "bind" ? new Rfc2136Provider(Zone, bind, _bind.Key.Secret) : throw new InvalidOperationException(name));

        var result = await steps.IssueAsync(false, CancellationToken.None);

        result.OrdersCreated.Should().Be(1);
        var certificate = result.State.Find(definition.Sets[0].Key)!;
        using var http = AcmeHttp.Create(PebbleServices.TrustFile(_directory / "pebble"));
        using var pebbleRoot = await PebbleServices.RootAsync(http, _ports, CancellationToken.None);
        AcmeHttp.ChainVerifies(certificate.Chain, pebbleRoot, out var status).Should().BeTrue(status);
        using var leaf = certificate.Leaf();
        var san = new X509SubjectAlternativeNameExtension(leaf.Extensions.Single(e => e.Oid?.Value == "2.5.29.17").RawData);
        san.EnumerateDnsNames().Should().BeEquivalentTo($"*.wild.{Zone}", $"wild.{Zone}");
        (await _bind.DigAsync($"_acme-challenge.wild.{Zone}", "TXT")).Should().BeEmpty("the challenge values are removed after validation");
    }

    public async Task DisposeAsync()
    {
        await Services.StopAsync("dns01-tests-pebble", CancellationToken.None);
        await _bind.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
