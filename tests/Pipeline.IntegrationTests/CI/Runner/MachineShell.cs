using CliWrap;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>A file or folder of this machine seen at <see cref="Target"/> by the commands of one machine only.</summary>
public sealed record MachineBind(string Source, string Target);

/// <summary>
/// How a command runs on one of the local runner's machines (a job's runner machine, a stand-in host): in a mount
/// namespace of its own, where the machine's binds hide this machine's files (its /etc/hosts, ...), then in the
/// machine's network namespace. nsenter switches only that one: ip netns exec would also remount /sys, and dockerd needs
/// its cgroups. Each exec replaces the one before, so the pid is the command's.
/// </summary>
public static class MachineShell
{
    /// <summary>Tools a machine uses besides <c>ip</c> and <c>iptables</c>.</summary>
    public static readonly Tool[] Tools =
        [Tool.Apt("nsenter", "util-linux"), Tool.Apt("unshare", "util-linux"), Tool.Apt("mount"), DockerDaemon.Tool];

    public static string[] Inside(string netns, IReadOnlyList<MachineBind> binds, params string[] argv) =>
    [
        "unshare", "--mount", "--propagation", "private", "sh", "-c",
        string.Concat(binds.Select((_, i) => $"mount --bind \"${2 * i + 1}\" \"${2 * i + 2}\" && "))
            + $"shift {2 * binds.Count} && exec \"$@\"",
        "sh", .. binds.SelectMany(b => new[] { b.Source, b.Target }),
        "nsenter", $"--net=/run/netns/{netns}", .. argv,
    ];

    /// <summary>
    /// The machine's own Docker engine: data root, exec root and socket in <paramref name="folder"/>, started inside the
    /// machine, trusting <paramref name="trustBundle"/> (the runner's https stand-ins) when given.
    /// </summary>
    public static LocalService Engine(
        string netns, string folder, IReadOnlyList<MachineBind> binds, string? trustBundle, string? group = null)
    {
        string[] dockerd =
        [
            "dockerd", "--data-root", Path.Combine(folder, "docker"), "--exec-root", Path.Combine(folder, "exec"),
            "-H", $"unix://{Path.Combine(folder, "docker.sock")}", "--pidfile", Path.Combine(folder, "docker.pid"),
            .. group is null ? Array.Empty<string>() : ["--group", group],
        ];
        var engine = Inside(netns, binds, dockerd);
        return new LocalService($"dockerd-{netns}", engine[0], engine[1..], ReadinessProbe.UnixSocket(Path.Combine(folder, "docker.sock")))
        {
            Tools = Tools,
            Environment = trustBundle is null ? new Dictionary<string, string>() : new() { ["SSL_CERT_FILE"] = trustBundle },
        };
    }

    /// <summary>An /etc/hosts for a machine: this machine's, plus <paramref name="names"/> on the machine's own loopback.</summary>
    public static async Task<string> HostsFileAsync(string folder, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var file = Path.Combine(folder, "hosts");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync("/etc/hosts", ct)).TrimEnd() + "\n"
            + (names.Count > 0 ? $"127.0.0.1 {string.Join(' ', names)}\n" : ""), ct);
        return file;
    }

    /// <summary>
    /// A machine's network namespace with a veth pair: <paramref name="inside"/> in it at <paramref name="address"/>
    /// (with its prefix), up with the loopback, and the default route through <paramref name="gateway"/>; the caller
    /// sets up <paramref name="outside"/> (an address of its own, or a bridge port).
    /// </summary>
    public static async Task NamespaceAsync(
        string netns,
        string outside,
        string inside,
        string address,
        string gateway,
        CancellationToken ct
    )
    {
        await Ip(ct, "netns", "add", netns);
        await Ip(ct, "link", "add", outside, "type", "veth", "peer", "name", inside);
        await Ip(ct, "link", "set", inside, "netns", netns);
        await Ip(ct, "-n", netns, "addr", "add", address, "dev", inside);
        await Ip(ct, "-n", netns, "link", "set", inside, "up");
        await Ip(ct, "-n", netns, "link", "set", "lo", "up");
        await Ip(ct, "-n", netns, "route", "add", "default", "via", gateway);
    }

    public static Task Ip(CancellationToken ct, params string[] args) => Cli.Wrap("ip").WithArguments(args).RunBufferedAsync(ct);
}
