using CliWrap;
using CliWrap.Buffered;
using Pipeline.Tools.Process;
using System.Diagnostics;

namespace Pipeline.IntegrationTests.Packaging;

/// <summary>
/// A minimal Debian bookworm made by debootstrap, cached under .nuke/temp/packaging-tests/ so it is built once
/// (into a .partial folder, renamed when complete). Commands run in it through unshare, which mounts a /proc
/// private to them: nothing stays mounted when they end.
/// </summary>
public sealed class DebianChroot(string root)
{
    public const string Suite = "bookworm";
    public string Root { get; } = root;

    public static async Task<DebianChroot> EnsureAsync(string cacheDirectory)
    {
        var root = Path.Combine(cacheDirectory, $"{Suite}-chroot");
        if (!File.Exists(Path.Combine(root, "usr/sbin/adduser")))
        {
            var partial = root + ".partial";
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            var mirror = Environment.GetEnvironmentVariable("PIPELINE_DEBIAN_MIRROR") ?? "http://deb.debian.org/debian";
            await Cli.Wrap("debootstrap")
                .WithArguments(["--variant=minbase", "--include=adduser", Suite, partial, mirror])
                .RunBufferedAsync(TimeSpan.FromMinutes(15));
            Directory.Move(partial, root);
        }
        return new DebianChroot(root);
    }

    public Task<BufferedCommandResult> RunAsync(string script) =>
        Cli.Wrap("unshare").WithArguments([$"--mount-proc={Root}/proc", "chroot", Root, "sh", "-c", script])
            .WithEnvironment("DEBIAN_FRONTEND", "noninteractive")
            .WithValidation(CommandResultValidation.None)
            .RunBufferedAsync(TimeSpan.FromMinutes(5));

    /// <summary>Starts a long-running program in the chroot as a user; the process id is the program's own (unshare and chroot exec
    /// it).</summary>
    public Process Start(string user, string program, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("unshare", [$"--mount-proc={Root}/proc", "chroot", $"--userspec={user}:{user}", Root, program])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
