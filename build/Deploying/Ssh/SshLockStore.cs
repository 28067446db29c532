using Pipeline.Deploying.Locking;
using Pipeline.Engine;
using Pipeline.Tools.Ssh;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Deploying.Ssh;

/// <summary>
/// The deploy lock as a file on an ssh host. Every change runs in one remote shell under <c>flock</c> (util-linux) on
/// <c>&lt;lock&gt;.guard</c>, which the host's kernel releases if the command dies: created only if absent, replaced or
/// removed only if the file's SHA-256 is still that of the content the caller read; whole content is published by rename.
/// The scripts are constants; the path and hash reach them as positional parameters (quoted words).
/// </summary>
public sealed class SshLockStore(SshHost host, string path) : ILockStore
{
    private const int Refused = 3;

    public string Location => $"{host}:{path}";

    public Task<bool> TryCreateAsync(string content, CancellationToken ct) =>
        GuardedAsync("""test -e "$1" && exit 3; """ + Publish, null, content, ct);

    /// <summary>
    /// The lock's content; null only when there is no lock file. An empty file (a writer cut short) reads as "", so that the
    /// lock is taken over as unreadable instead of being created again and again (it exists) and read as absent.
    /// </summary>
    public async Task<string?> ReadAsync(CancellationToken ct)
    {
        var result = await host.RunAsync(["sh", "-c", Read, "sh", path], ct);
        return result.StandardOutput.StartsWith(Present, StringComparison.Ordinal) ? result.StandardOutput[Present.Length..] : null;
    }

    private const string Present = "present\n";
    private const string Read = """test -e "$1" || exit 0; printf 'present\n'; cat "$1" 2>/dev/null || true""";

    public Task<bool> TryReplaceAsync(string expected, string content, CancellationToken ct) =>
        GuardedAsync(Unchanged + Publish, expected, content, ct);

    public Task<bool> TryDeleteAsync(string expected, CancellationToken ct) =>
        GuardedAsync(Unchanged + """rm -f "$1" """, expected, null, ct);

    /// <summary>Refuses (exit 3) unless the lock exists with the expected SHA-256 (the script's $2).</summary>
    private const string Unchanged = """test -e "$1" && test "$(sha256sum < "$1" | cut -c1-64)" = "$2" || exit 3; """;
    /// <summary>Publishes the content ($3) whole by rename; empty content publishes nothing (exit 4): a lock is never empty.</summary>
    private const string Publish =
        """printf '%s' "$3" > "$1.$$.tmp" && test -s "$1.$$.tmp" && mv -f "$1.$$.tmp" "$1" || { rm -f "$1.$$.tmp"; exit 4; }""";

    /// <summary>
    /// Creates the lock's folder, then runs <paramref name="script"/> under flock with $1 the lock, $2 the hash and $3 the
    /// content. The content is a word of the command line, not stdin: SSH.NET can lose what is written to a command's input
    /// stream (sshnet/SSH.NET#1549), which left empty lock files that no deploy could take.
    /// </summary>
    private const string UnderFlock = """mkdir -p "$(dirname "$1")" && exec flock -w 30 "$1.guard" sh -c "$3" sh "$1" "$2" "$4" """;

    private async Task<bool> GuardedAsync(string script, string? expected, string? content, CancellationToken ct)
    {
        var hash = expected is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        var result = await host.RunAsync(["sh", "-c", UnderFlock, "sh", path, hash, script, content ?? ""], ct, check: false);
        if (result.ExitCode is 0 or Refused) return result.ExitCode == 0;
        throw new PipelineException(
            $"ssh {host}: changing the deploy lock {path} failed (exit {result.ExitCode}): {result.StandardError.Trim()}"
        );
    }

    /// <summary>Appends a line to a log on the host (the deploy's audit record), masked as <see cref="MaskedFile"/> masks the
    /// local one: the line is a word of the remote command and a line of the host's file.</summary>
    public static Task AppendAsync(SshHost host, string path, string line, CancellationToken ct) =>
        host.RunAsync(["sh", "-c", """mkdir -p "$(dirname "$1")" && printf '%s\n' "$2" >> "$1" """, "sh", path, MaskedFile.Mask(line)], ct);
}
