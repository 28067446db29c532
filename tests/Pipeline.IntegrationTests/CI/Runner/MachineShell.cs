using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;

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
    public static LocalService Engine(string netns, string folder, IReadOnlyList<MachineBind> binds, string? trustBundle)
    {
        var engine = Inside(
            netns, binds, "dockerd", "--data-root", Path.Combine(folder, "docker"), "--exec-root", Path.Combine(folder, "exec"),
            "-H", $"unix://{Path.Combine(folder, "docker.sock")}", "--pidfile", Path.Combine(folder, "docker.pid"));
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
}
