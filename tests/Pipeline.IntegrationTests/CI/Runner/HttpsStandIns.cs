using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>A stand-in for a public HTTPS service: the names jobs reach it by, and the port of its plain HTTP here.</summary>
public sealed record HttpsStandIn(IReadOnlyList<string> Names, int Port)
{
    /// <summary>A free port on this machine's loopback, for a stand-in's plain server.</summary>
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>
/// The https side of the stand-ins that play public services under their public names (S3 at s3.eu-west-1.amazonaws.com,
/// ...): a certificate authority of this runner, which every machine trusts as a hosted runner's image trusts the public
/// ones (<see cref="TrustBundle"/>, the system's bundle plus this CA, is each machine's SSL_CERT_FILE); one server
/// certificate naming every stand-in; and each TLS connection routed by the name its client asked for (SNI) to that
/// stand-in's plain port on this machine. Each machine resolves the names to its own loopback (<see cref="RunnerMachine"/>),
/// where <see cref="HostForward"/> listens on 443; requests keep their Host header, so signatures over it still verify.
/// </summary>
public sealed class HttpsStandIns
{
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";
    private readonly IReadOnlyList<HttpsStandIn> _standIns;
    private readonly X509Certificate2 _certificate;

    public HttpsStandIns(string folder, IReadOnlyList<HttpsStandIn> standIns)
    {
        _standIns = standIns;
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Pipeline local runner stand-in CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Names.First()}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in Names) names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(2), serial);
        _certificate = issued.CopyWithPrivateKey(key);

        TrustBundle = Path.Combine(folder, "ca-bundle.crt");
        File.WriteAllText(TrustBundle, File.ReadAllText(SystemBundle).TrimEnd() + "\n" + ca.ExportCertificatePem() + "\n");
    }

    /// <summary>Every name a machine resolves to its own loopback.</summary>
    public IEnumerable<string> Names => _standIns.SelectMany(s => s.Names).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>The system's CA bundle plus this runner's CA: SSL_CERT_FILE on every machine, for its engine and its steps.</summary>
    public string TrustBundle { get; }

    /// <summary>Completes the TLS handshake of one connection; its plain stream and the port of the stand-in it asked for.</summary>
    public async Task<(Stream Stream, int Port)?> OpenAsync(Stream inbound, CancellationToken ct)
    {
        var tls = new SslStream(inbound, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, ct);
        var standIn = _standIns.FirstOrDefault(s => s.Names.Contains(tls.TargetHostName, StringComparer.OrdinalIgnoreCase));
        if (standIn is not null) return (tls, standIn.Port);
        await tls.DisposeAsync();
        return null;
    }
}
