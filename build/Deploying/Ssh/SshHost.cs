using Pipeline.Engine;
using CliWrap;
using CliWrap.Buffered;
using Pipeline.Tools.Process;

namespace Pipeline.Deploying.Ssh;

/// <summary>
/// One host reached with the OpenSSH client: host keys pinned in the environment's known_hosts file
/// (<c>StrictHostKeyChecking=yes</c>: an unknown or changed key is refused, never accepted; the global and user
/// files are not consulted), one master connection reused by every command (<c>ControlMaster=auto</c>, <c>ControlPersist</c>).
/// </summary>
public sealed record SshHost(string Host, string User, int Port, string KnownHosts, string? Identity, string ControlDirectory)
{
    /// <summary>The argv of <c>ssh</c> running <paramref name="remoteCommand"/> (one string: the remote shell parses it).</summary>
    public IReadOnlyList<string> Arguments(string remoteCommand)
    {
        var args = new List<string>
        {
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", $"UserKnownHostsFile={KnownHosts}",
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "UpdateHostKeys=no",
            "-o", "ControlMaster=auto",
            "-o", $"ControlPath={ControlDirectory}/%C",
            "-o", "ControlPersist=60s",
            "-o", "ConnectTimeout=10",
            "-o", "ServerAliveInterval=15",
            "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (Identity is not null) args.AddRange(["-i", Identity, "-o", "IdentitiesOnly=yes"]);
        args.AddRange(["-l", User, Host, "--", remoteCommand]);
        return args;
    }

    /// <summary>Runs a remote command built from words (each quoted for the remote shell); stdin optional.</summary>
    public Task<BufferedCommandResult> RunAsync(IEnumerable<string> words, CancellationToken ct, string? standardInput = null, bool check = true, string? inputFile = null) =>
        RunShellAsync(string.Join(' ', words.Select(ShellQuoting.Quote)), ct, standardInput, check, inputFile);

    /// <summary>Runs a remote shell line as written (callers quote every value with <see cref="ShellQuoting.Quote"/>).</summary>
    /// <param name="inputFile">A file streamed to the remote command's stdin as bytes (an image tar), instead of <paramref name="standardInput"/>.</param>
    public async Task<BufferedCommandResult> RunShellAsync(string line, CancellationToken ct, string? standardInput = null, bool check = true, string? inputFile = null)
    {
        Directory.CreateDirectory(ControlDirectory);
        var result = await Cli.Wrap("ssh").WithArguments(Arguments(line)).WithStandardInput(standardInput).WithStandardInputFile(inputFile)
            .WithValidation(CommandResultValidation.None).RunBufferedAsync(TimeSpan.FromMinutes(10), ct);
        if (result.ExitCode == 255 && (result.StandardError.Contains("Host key verification failed", StringComparison.Ordinal)
                                        || result.StandardError.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal)))
            throw new PipelineException($"ssh {User}@{Host}:{Port}: its host key is not the one pinned in {KnownHosts} (unknown or changed); refused. " +
                "Check the key's fingerprint out of band, then add it to that file.");
        if (result.ExitCode == 255)
            throw new PipelineException($"ssh {User}@{Host}:{Port}: {LastLine(result.StandardError)}");
        if (check && result.ExitCode != 0)
            throw new PipelineException($"ssh {User}@{Host}:{Port}: '{line}' exited with {result.ExitCode}: {LastLine(result.StandardError)}");
        return result;
    }

    /// <summary>Ends the reused master connection (<c>ssh -O exit</c>); none running is fine.</summary>
    public async Task CloseAsync()
    {
        var args = Arguments("true").TakeWhile(a => a != "-l").Concat(["-O", "exit", "-l", User, Host]);
        await Cli.Wrap("ssh").WithArguments(args).WithValidation(CommandResultValidation.None).RunBufferedAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no message)";

    public override string ToString() => $"{User}@{Host}:{Port}";
}
