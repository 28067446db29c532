using Pipeline.Deploying.Locking;
using Pipeline.Tools.Process;

namespace Pipeline.Deploying.Ssh;

/// <summary>The deploy lock as a file on an ssh host: created with the shell's noclobber (<c>set -C</c>, an O_EXCL open), replaced by rename.</summary>
public sealed class SshLockStore(SshHost host, string path) : ILockStore
{
    private readonly string _path = ShellQuoting.Quote(path);
    private readonly string _directory = ShellQuoting.Quote(Path.GetDirectoryName(path)!);

    public string Location => $"{host}:{path}";

    public async Task<bool> TryCreateAsync(string content, CancellationToken ct) =>
        (await host.RunShellAsync($"mkdir -p {_directory} && set -C && cat > {_path}", ct, content, check: false)).ExitCode == 0;

    public async Task<string?> ReadAsync(CancellationToken ct)
    {
        var result = await host.RunShellAsync($"cat {_path} 2>/dev/null || true", ct);
        return result.StandardOutput.Length == 0 ? null : result.StandardOutput;
    }

    public Task ReplaceAsync(string content, CancellationToken ct) => host.RunShellAsync($"cat > {_path}.tmp && mv -f {_path}.tmp {_path}", ct, content);

    public Task DeleteAsync(CancellationToken ct) => host.RunShellAsync($"rm -f {_path}", ct);

    /// <summary>Appends a line to a log on the host (the deploy's audit record).</summary>
    public static Task AppendAsync(SshHost host, string path, string line, CancellationToken ct) =>
        host.RunShellAsync($"mkdir -p {ShellQuoting.Quote(Path.GetDirectoryName(path)!)} && cat >> {ShellQuoting.Quote(path)}", ct, line + "\n");
}
