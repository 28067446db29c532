using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Engine.Services;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace Pipeline.IntegrationTests.Acme;

[Collection(PebbleCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HaproxyInstallTests(PebbleFixture pebble)
{
    private const int TlsPort = 22310;

    [Fact]
    public async Task A_renewed_certificate_reaches_a_running_HAProxy_through_its_runtime_socket_without_a_restart()
    {
        var (_, definition, root) = pebble.EnvironmentWith("    - names: [haproxy.example.com]", "haproxy");
        var socket = Path.Combine(root, "haproxy", "admin.sock");
        var steps = new CertificateSteps(
            definition with
            {
                InstallDirectory = "haproxy/certs",
                HaproxySocket = socket,
            },
            PebbleFixture.LayoutIn(root, "haproxy")
        );
        var first = await steps.IssueAsync(false, CancellationToken.None);
        await steps.InstallAsync(CancellationToken.None);
        var bundle = Path.Combine(root, "haproxy", "certs", "haproxy.example.com.pem");

        var config = Path.Combine(root, "haproxy", "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
              stats socket {socket} mode 600 level admin
            defaults
              mode http
              timeout connect 5s
              timeout client 5s
              timeout server 5s
            frontend tls
              bind 127.0.0.1:{TlsPort} ssl crt {bundle}
              http-request return status 200 content-type text/plain string ok

            """);
        var services = new LocalServiceManager(new Engine.AbsolutePath(Path.Combine(root, "services")));
        await services.StartAsync(
            new LocalService("acme-tests-haproxy", "haproxy", ["-f", config, "-db"], ReadinessProbe.Tcp(TlsPort)),
            CancellationToken.None
        );
        try
        {
            var pidFile = Path.Combine(root, "services", "acme-tests-haproxy.pid.json");
            var started = await File.ReadAllTextAsync(pidFile);
            (await ServedSerialAsync()).Should().Be(first.State.Certificates.Single().Leaf().SerialNumber);

            await steps.Store.SaveAsync(first.State with { Certificates = [] }, CancellationToken.None); // due again
            var renewed = await steps.IssueAsync(false, CancellationToken.None);
            await steps.InstallAsync(CancellationToken.None);

            var serial = renewed.State.Certificates.Single().Leaf().SerialNumber;
            serial.Should().NotBe(first.State.Certificates.Single().Leaf().SerialNumber);
            (await ServedSerialAsync()).Should().Be(serial);
            services.Running().Should().Contain("acme-tests-haproxy", "HAProxy kept running: the update was hitless");
            (await File.ReadAllTextAsync(pidFile)).Should().Be(started, "the same HAProxy process serves the new certificate");
        }
        finally
        {
            await services.StopAsync("acme-tests-haproxy", CancellationToken.None);
        }
    }

    private static async Task<string> ServedSerialAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", TlsPort);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("haproxy.example.com");
        return new X509Certificate2(tls.RemoteCertificate!).SerialNumber;
    }
}
