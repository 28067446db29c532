using CliWrap;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// A fresh runner machine for one job, as a hosted runner's VM is: its own network namespace (loopback, a default route
/// through a veth pair and NAT, open only to the name server and the addresses of <see cref="Egress"/>: the Debian mirror
/// and NuGet are reachable, no other address outside, and of this machine's loopback only the stand-ins that
/// <see cref="HostForward"/> brings onto the machine's own), its own Docker engine (data root, exec root and socket in
/// the machine's folder, started inside that namespace), an empty home and temp folder, and an empty workspace that the
/// job's checkout step fills. Its engine and its commands see an /etc/hosts of their own (a private mount namespace each),
/// which resolves the public names of the <see cref="HttpsStandIns"/> to the machine's loopback.
/// </summary>
public sealed class RunnerMachine : IAsyncDisposable
{
    private static int _next = Environment.ProcessId % 64 * 3;
    private readonly LocalServiceManager _services;

    private readonly IReadOnlyList<string> _reachable;
    private readonly RunnerUser? _user;

    private RunnerMachine(
        string name, int subnet, string folder, LocalServiceManager services, IReadOnlyList<string> reachable, RunnerUser? user)
    {
        (Name, Subnet, Folder, _services, _reachable, _user) = (name, subnet, folder, services, reachable, user);
        foreach (var dir in new[] { Workspace, Home, Temp }) Directory.CreateDirectory(dir);
    }

    /// <summary>The network namespace (and prefix of its veth pair).</summary>
    public string Name { get; }
    /// <summary>The third byte of the machine's 10.231.x.0/30 link.</summary>
    public int Subnet { get; }
    public string Folder { get; }
    public string Workspace => Path.Combine(Folder, "work");
    public string Home => Path.Combine(Folder, "home");
    public string Temp => Path.Combine(Folder, "temp");
    public string DockerHost => $"unix://{Path.Combine(Folder, "docker.sock")}";
    /// <summary>The machine's /etc/hosts: this machine's, plus the stand-ins' public names on its loopback.</summary>
    public string Hosts => Path.Combine(Folder, "hosts");

    /// <summary>The outside hosts a machine may reach (and the name server of /etc/resolv.conf).</summary>
    public static IReadOnlyList<string> Egress { get; } = ["deb.debian.org", "api.nuget.org"];

    /// <param name="reachable">Networks of stand-in hosts the machine may reach besides <see cref="Egress"/> (e.g. the
    /// staging hosts' bridge).</param>
    /// <param name="user">The user the steps run as, whose group may use the engine; null: root.</param>
    public static async Task<RunnerMachine> StartAsync(
        string root,
        HttpsStandIns? standIns,
        IReadOnlyList<string> reachable,
        RunnerUser? user,
        CancellationToken ct
    )
    {
        var subnet = 20 + Interlocked.Increment(ref _next) % 200;
        var name = $"plr{subnet}";
        var folder = Path.Combine(root, name);
        await ForgetAsync(name, subnet, reachable, ct);
        Directory.CreateDirectory(folder);
        var host = $"{name}h";
        var guest = $"{name}g";
        await MachineShell.NamespaceAsync(name, host, guest, $"10.231.{subnet}.2/30", $"10.231.{subnet}.1", ct);
        await MachineShell.Ip(ct, "addr", "add", $"10.231.{subnet}.1/30", "dev", host);
        await MachineShell.Ip(ct, "link", "set", host, "up");
        await File.WriteAllTextAsync("/proc/sys/net/ipv4/ip_forward", "1", ct);
        foreach (var rule in Rules(name, subnet, [.. await AllowedAsync(ct), .. reachable])) await Iptables(ct, ["-I", .. rule]);

        var services = new LocalServiceManager(new AbsolutePath(Path.Combine(folder, "services")));
        // The folders go to the steps' user after each action and before each script (the checkout's git, run here as
        // root, refuses a workspace that another user owns).
        var machine = new RunnerMachine(name, subnet, folder, services, reachable, user);
        await MachineShell.HostsFileAsync(folder, [.. standIns?.Names ?? []], ct);
        await services.StartAsync(MachineShell.Engine(name, folder, machine.Binds, standIns?.TrustBundle, user?.Name), ct);
        return machine;
    }

    /// <summary>A command run on this machine: in its network namespace, as the steps' user, with exactly
    /// <paramref name="environment"/>.</summary>
    public Command Command(IReadOnlyDictionary<string, string> environment, params string[] argv)
    {
        string[] line = ["env", "-i", .. environment.Select(e => $"{e.Key}={e.Value}"), .. argv];
        var inside = MachineShell.Inside(Name, Binds, _user is null ? line : _user.Run(line));
        return Cli.Wrap(inside[0]).WithArguments(inside[1..]).WithWorkingDirectory(Workspace).WithValidation(CommandResultValidation.None);
    }

    /// <summary>Gives the steps' user what the runner itself put in the workspace, home and temp folder (a checkout, a
    /// restored cache, downloaded artifacts): on a hosted runner that user owns them.</summary>
    public Task GiveToStepsAsync(CancellationToken ct) => GiveToStepsAsync(ct, Workspace, Home, Temp);

    /// <summary>Gives the steps' user <paramref name="paths"/> (e.g. a step's command files), nothing else.</summary>
    public Task GiveToStepsAsync(CancellationToken ct, params string[] paths) => _user?.GiveAsync(ct, paths) ?? Task.CompletedTask;

    private MachineBind[] Binds => [new(Hosts, "/etc/hosts")];

    public async ValueTask DisposeAsync()
    {
        await _services.StopAllAsync(CancellationToken.None);
        await ForgetAsync(Name, Subnet, _reachable, CancellationToken.None);
        await Cli.Wrap("rm").WithArguments(["-rf", "--one-file-system", Folder]).WithValidation(CommandResultValidation.None)
            .RunBufferedAsync();
    }

    /// <summary>In the order they are inserted at the top: the refusal ends up below the openings.</summary>
    private static IEnumerable<string[]> Rules(string name, int subnet, IEnumerable<string> allowed) =>
    [
        ["FORWARD", "-i", $"{name}h", "-j", "REJECT"],
        .. allowed.Select(a => new[] { "FORWARD", "-i", $"{name}h", "-d", a, "-j", "ACCEPT" }),
        ["FORWARD", "-o", $"{name}h", "-j", "ACCEPT"],
        ["POSTROUTING", "-t", "nat", "-s", $"10.231.{subnet}.0/30", "!", "-o", $"{name}h", "-j", "MASQUERADE"],
    ];

    private static readonly Lazy<Task<IReadOnlyList<string>>> Allowed = new(() => ResolveAllowedAsync(CancellationToken.None));

    /// <summary>The addresses a machine may reach, resolved once for every machine of this test run.</summary>
    private static Task<IReadOnlyList<string>> AllowedAsync(CancellationToken ct) => Allowed.Value.WaitAsync(ct);

    private static async Task<IReadOnlyList<string>> ResolveAllowedAsync(CancellationToken ct)
    {
        var servers = File.ReadAllLines("/etc/resolv.conf").Where(l => l.StartsWith("nameserver ")).Select(l => l.Split(' ')[1]);
        var hosts = new List<string>();
        foreach (var host in Egress)
            hosts.AddRange((await System.Net.Dns.GetHostAddressesAsync(host, System.Net.Sockets.AddressFamily.InterNetwork, ct))
                .Select(a => a.ToString()));
        return [.. servers.Concat(hosts).Distinct()];
    }

    /// <summary>Removes what an earlier machine of this name left (a run that was killed): namespace, link and rules.</summary>
    private static async Task ForgetAsync(string name, int subnet, IReadOnlyList<string> reachable, CancellationToken ct)
    {
        await Cli.Wrap("ip").WithArguments(["netns", "del", name]).WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
        await Cli.Wrap("ip").WithArguments(["link", "del", $"{name}h"]).WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
        foreach (var rule in Rules(name, subnet, [.. await AllowedAsync(ct), .. reachable]))
            while ((await Cli.Wrap("iptables").WithArguments(["-D", .. rule]).WithValidation(CommandResultValidation.None)
                       .RunBufferedAsync(ct)).ExitCode == 0) { }
    }

    private static Task Iptables(CancellationToken ct, string[] args) => Cli.Wrap("iptables").WithArguments(args).RunBufferedAsync(ct);
}
