using CliWrap;
using Pipeline.Definitions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Deploying.Outputs;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// Staging as the deploy-staging job reaches it (environments/staging.yml): its two hosts at their addresses
/// (<see cref="StagingHost"/>, on a bridge of this machine that every runner machine may reach), HAProxy's runtime API
/// and etcd, both real, reached on each machine's loopback at the ports staging.yml names (a tunnel there, in real life).
/// The deploy user's key is made here; the job gets it as the staging environment's STAGING_SSH_KEY.
/// </summary>
public sealed class StagingHostsStandIn : IAsyncDisposable
{
    public const string Bridge = "plrstg";
    public const string Network = "10.20.0.0/24";
    private const string Gateway = "10.20.0.1";
    private readonly LocalServiceManager _services;
    private readonly List<StagingHost> _hosts = [];

    private StagingHostsStandIn(string folder, LocalServiceManager services) => (Folder, _services) = (folder, services);

    public string Folder { get; }
    public IReadOnlyList<StagingHost> Hosts => _hosts;
    public int RuntimePort { get; } = HttpsStandIn.FreePort();
    public int EtcdPort { get; } = HttpsStandIn.FreePort();
    public string ClientKey => Path.Combine(Folder, "deploy_ed25519");

    /// <summary>The staging environment's secret: the deploy user's private key.</summary>
    public IReadOnlyDictionary<string, string> Secrets => new Dictionary<string, string>
    {
        ["STAGING_SSH_KEY"] = File.ReadAllText(ClientKey).Trim(),
    };

    /// <summary>staging.yml's runtime API (127.0.0.1:9999) and etcd (127.0.0.1:2379) on each machine, to the real ones here.</summary>
    public IReadOnlyDictionary<int, int> MappedPorts => new Dictionary<int, int> { [9999] = RuntimePort, [2379] = EtcdPort };

    public static async Task<StagingHostsStandIn> StartAsync(string folder, HttpsStandIns https, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var standIn = new StagingHostsStandIn(folder, new LocalServiceManager(new AbsolutePath(Path.Combine(folder, "services"))));
        await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-C", "deploy", "-f", standIn.ClientKey])
            .RunBufferedAsync(ct);
        var haproxy = new HaproxyService.Options(Path.Combine(folder, "haproxy"), HttpsStandIn.FreePort(), standIn.RuntimePort, ["web"]);
        await standIn._services.StartAsync(HaproxyService.Spec(haproxy), ct);
        await standIn._services.StartAsync(
            EtcdService.Spec(Path.Combine(folder, "etcd"), standIn.EtcdPort, HttpsStandIn.FreePort()), ct);
        await Forget(CancellationToken.None);
        await MachineShell.Ip(ct, "link", "add", Bridge, "type", "bridge");
        await MachineShell.Ip(ct, "addr", "add", $"{Gateway}/24", "dev", Bridge);
        await MachineShell.Ip(ct, "link", "set", Bridge, "up");
        var environment = DefinitionFile.Load(
            Path.Combine(Packaging.RepositoryRoot.Path, "environments", "staging.yml"), "environments/staging.yml");
        var addresses = environment.Required("groups").Required("web").Required("ssh").Required("hosts").Strings();
        foreach (var address in addresses)
        {
            var host = await StagingHost.StartAsync(Path.Combine(folder, address), address, Gateway, Bridge, standIn.ClientKey + ".pub",
                https, ct);
            standIn._hosts.Add(host);
        }
        return standIn;
    }

    /// <summary>Removes the bridge (a run that was killed may have left it).</summary>
    private static Task Forget(CancellationToken ct) =>
        Cli.Wrap("ip").WithArguments(["link", "del", Bridge]).WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);

    /// <summary>What HAProxy's runtime API answers to <paramref name="command"/> (read over its port here).</summary>
    public async Task<string> RuntimeAsync(string command, CancellationToken ct)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, RuntimePort, ct);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\n"), ct);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        await Forget(CancellationToken.None);
        await _services.StopAllAsync(CancellationToken.None);
    }
}
