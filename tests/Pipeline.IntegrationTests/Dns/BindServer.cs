using CliWrap;
using CliWrap.Buffered;
using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Dns;
using Pipeline.Tools.Process;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Pipeline.IntegrationTests.Dns;

/// <summary>
/// A real BIND 9 for one test class: <c>named</c> on 127.0.0.1 at a free port, authoritative for the given zones, with a fresh
/// TSIG key (hmac-sha256) allowed to update them, in a temporary directory; stopped and removed on dispose. <see cref="DigAsync"/>
/// asks it as an operator would.
/// </summary>
public sealed class BindServer : IAsyncDisposable
{
    private readonly LocalServiceManager _services;

    private BindServer(string directory, BindZones zones)
    {
        Directory = directory;
        Zones = zones;
        _services = new LocalServiceManager(new AbsolutePath(Path.Combine(directory, "services")));
    }

    public string Directory { get; }
    public BindZones Zones { get; }
    public int Port => Zones.Port;
    public TsigKey Key => Zones.Key;
    public DnsServer Server => new("127.0.0.1", Port);

    /// <summary>An environment file's <c>dns:</c> section (top level) on this server, its TSIG key by name (the secret goes as
    /// <c>--dns-tsig-secret</c>), with <paramref name="records"/> as the lines under <c>records:</c>.</summary>
    public string DnsSection(string zone, int ttl, string records) => $$"""
        dns:
          zone: {{zone}}
          ttl: {{ttl}}
          provider: bind
          providers:
            bind: {type: rfc2136, server: '127.0.0.1:{{Port}}', key: {{Key.Name}}}
          records:
            {{records}}
        """;

    public static async Task<BindServer> StartAsync(params string[] zones)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("test-bind-").FullName;
        var key = new TsigKey("pipeline-test", "hmac-sha256", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var server = new BindServer(directory, new BindZones(FreePort(), zones, key));
        await server._services.StartAsync(BindService.Spec(Path.Combine(directory, "named"), server.Zones), CancellationToken.None);
        return server;
    }

    /// <summary><c>dig @127.0.0.1 -p port +short name type</c>: the answer's values, one a line, sorted.</summary>
    public async Task<IReadOnlyList<string>> DigAsync(string name, string type)
    {
        var result = await Cli.Wrap("dig")
            .WithArguments(["@127.0.0.1", "-p", $"{Port}", "+short", "+norec", name, type])
            .WithValidation(CommandResultValidation.None)
            .RunBufferedAsync();
        if (result.ExitCode != 0) throw new InvalidOperationException($"dig failed: {result.StandardOutput}{result.StandardError}");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A port free for TCP and UDP on 127.0.0.1.</summary>
    private static int FreePort()
    {
        while (true)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.StopAllAsync(CancellationToken.None);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
