using Pipeline.Engine;
using Pipeline.Engine.Services;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Acme;

/// <summary>Ports of one Pebble + pebble-challtestsrv pair on 127.0.0.1.</summary>
/// <param name="Http01">Where Pebble's VA connects for HTTP-01: the built-in responder's port.</param>
public sealed record PebblePorts(int Directory, int Management, int Http01, int TlsAlpn, int Dns, int DnsManagement)
{
    /// <summary>The local environment's ports (environments/local.yml).</summary>
    public static readonly PebblePorts Local = new(22000, 22001, 22002, 22003, 22053, 22055);

    public Uri DirectoryUrl => new($"https://127.0.0.1:{Directory}/dir");
    public Uri RootUrl => new($"https://127.0.0.1:{Management}/roots/0");
    public string ChallTestSrvUrl => $"http://127.0.0.1:{DnsManagement}";
}

/// <summary>
/// Debian's <c>pebble</c> (a test ACME CA) and <c>pebble-challtestsrv</c> (answers DNS for every name with
/// 127.0.0.1, and TXT records set through its management API) as local services. Pebble's TLS certificate is
/// signed by a loopback test CA generated here (the package ships none), trusted only by clients that name it.
/// Pebble keeps its defaults for nonce rejection (5%) and authorization reuse (50%); only validation sleeps are off.
/// </summary>
public static class PebbleServices
{
    public static readonly Tool PebbleTool = Tool.Apt("pebble");
    public static readonly Tool ChallTestSrvTool = Tool.Apt("pebble-challtestsrv", "pebble");

    /// <summary>The CA file clients trust for Pebble's TLS (environments/local.yml names it).</summary>
    public static string TrustFile(string directory) => Path.Combine(directory, "loopback-ca.pem");

    /// <param name="externalAccountKeys">When given, Pebble requires external account binding with these kid → base64url MAC keys.</param>
    public static LocalService Pebble(
        string directory,
        PebblePorts ports,
        string name = "pebble",
        IReadOnlyDictionary<string, string>? externalAccountKeys = null
    )
    {
        EnsureTlsFiles(directory);
        var config = Path.Combine(directory, $"{name}-config.json");
        var macKeys = new JsonObject();
        foreach (var (kid, key) in externalAccountKeys ?? new Dictionary<string, string>()) macKeys[kid] = key;
        File.WriteAllText(config, new JsonObject
        {
            ["pebble"] = new JsonObject
            {
                ["listenAddress"] = $"127.0.0.1:{ports.Directory}",
                ["managementListenAddress"] = $"127.0.0.1:{ports.Management}",
                ["certificate"] = Path.Combine(directory, "pebble-tls.pem"),
                ["privateKey"] = Path.Combine(directory, "pebble-tls.key"),
                ["httpPort"] = ports.Http01,
                ["tlsPort"] = ports.TlsAlpn,
                ["ocspResponderURL"] = "",
                ["externalAccountBindingRequired"] = externalAccountKeys is not null,
                ["externalAccountMACKeys"] = macKeys,
            },
        }.ToJsonString());
        return new LocalService(
            name,
            "pebble",
            ["-config", config, "-dnsserver", $"127.0.0.1:{ports.Dns}"],
            ReadinessProbe.Tcp(ports.Directory)
        )
        {
            Environment = new Dictionary<string, string> { ["PEBBLE_VA_NOSLEEP"] = "1" },
            WorkingDirectory = directory,
            Tools = [PebbleTool],
        };
    }

    public static LocalService ChallTestSrv(PebblePorts ports, string name = "pebble-challtestsrv") =>
        new(
            name,
            "pebble-challtestsrv",
            [
                "-dns01",
                $"127.0.0.1:{ports.Dns}",
                "-management",
                $"127.0.0.1:{ports.DnsManagement}",
                "-http01",
                "",
                "-https01",
                "",
                "-tlsalpn01",
                "",
                "-defaultIPv6",
                "",
            ],
            ReadinessProbe.Tcp(ports.DnsManagement)
        )
        {
            Tools = [ChallTestSrvTool],
        };

    /// <summary>Pebble's current root (it makes a new one at every start), from its management API.</summary>
    public static async Task<X509Certificate2> RootAsync(HttpClient http, PebblePorts ports, CancellationToken ct) =>
        X509Certificate2.CreateFromPem(await http.GetStringAsync(ports.RootUrl, ct));

    /// <summary>A loopback CA and a certificate for 127.0.0.1/localhost signed by it, made once per directory.</summary>
    public static void EnsureTlsFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var caFile = TrustFile(directory);
        if (File.Exists(caFile) && File.Exists(Path.Combine(directory, "pebble-tls.key"))) return;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Pipeline loopback test CA (Pebble TLS only)", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var ca = caRequest.CreateSelfSigned(now, now.AddYears(5));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = BitConverter.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var leaf = request.Create(ca, now, now.AddYears(2), serial);

        File.WriteAllText(Path.Combine(directory, "pebble-tls.pem"), leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, "pebble-tls.key"), key.ExportECPrivateKeyPem() + "\n");
        File.WriteAllText(caFile, ca.ExportCertificatePem() + "\n");
    }
}
