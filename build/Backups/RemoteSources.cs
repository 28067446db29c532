using Pipeline.Engine;
using Pipeline.Tools.Ssh;
using System.Formats.Tar;

namespace Pipeline.Backups;

/// <summary>
/// Sources on hosts, over the run's pinned SSH.NET connections (one per host): fetched as a tar stream from
/// <c>tar -c</c> on the host (links followed, as a copy would) and unpacked here with modes and times; put back by
/// streaming a tar of the restored copy into <c>&lt;path&gt;.restoring</c>, then swapping it in. Every remote command
/// is quoted words: constant scripts whose paths are positional parameters, so any path (spaces, quotes) is safe.
/// </summary>
public sealed class RemoteSources(BackupSshDefinition? ssh) : IAsyncDisposable
{
    private readonly SshConnections _connections = new();

    /// <summary>Unpacks into $1.restoring.tmp, then moves the tar's one top entry ($2) to $1.restoring.</summary>
    private const string Receive =
        """rm -rf -- "$1.restoring" "$1.restoring.tmp" && mkdir -p -- "$1.restoring.tmp" && tar -C "$1.restoring.tmp" --no-same-owner -xpf - && mv -- "$1.restoring.tmp/$2" "$1.restoring" && rmdir -- "$1.restoring.tmp" """;

    /// <summary>The old copy steps aside to $1.replaced, the restored one takes its name, the old one goes.</summary>
    private const string Swap =
        """rm -rf -- "$1.replaced" && { test ! -e "$1" || mv -- "$1" "$1.replaced"; } && mv -- "$1.restoring" "$1" && rm -rf -- "$1.replaced" """;

    public SshHost Host(BackupSource source) =>
        new(
            (ssh ?? throw new PipelineException($"{source.Name}: backups/ssh is not set (known_hosts, identity)")).Target(source.Host!),
            _connections
        );

    /// <summary>Copies the source into <paramref name="staged"/> (which must not exist).</summary>
    public async Task FetchAsync(BackupSource source, string staged, CancellationToken ct)
    {
        var unpacked = staged + ".tar.d";
        RestoreRunner.Delete(unpacked);
        Directory.CreateDirectory(unpacked);
        var (parent, name) = Split(source.Path);
        await Host(source).RunAsync(["tar", "-C", parent, "-chf", "-", "./" + name], null,
            (stdout, token) => TarFile.ExtractToDirectoryAsync(stdout, unpacked, overwriteFiles: false, token), ct);
        var top = Path.Combine(unpacked, name);
        if (Directory.Exists(top)) Directory.Move(top, staged);
        else File.Move(top, staged);
        Directory.Delete(unpacked, recursive: true);
    }

    /// <summary>Uploads <paramref name="restored"/> to <c>&lt;path&gt;.restoring</c> on the host, then swaps it in.</summary>
    public async Task PutBackAsync(BackupSource source, string restored, CancellationToken ct)
    {
        var host = Host(source);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(restored));
        await host.RunAsync(["sh", "-c", Receive, "sh", source.Path, name], async (stdin, token) =>
        {
            if (Directory.Exists(restored)) await TarFile.CreateFromDirectoryAsync(restored, stdin, includeBaseDirectory: true, token);
            else
            {
                await using var writer = new TarWriter(stdin, TarEntryFormat.Pax, leaveOpen: true);
                await writer.WriteEntryAsync(restored, name, token);
            }
        }, null, ct);
        await host.RunAsync(["sh", "-c", Swap, "sh", source.Path], ct);
        Log.Information($"{source.Name}: put back on {host}");
    }

    private static (string Parent, string Name) Split(string path)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        var name = Path.GetFileName(trimmed);
        return name.Length == 0 ? ("/", ".") : (Path.GetDirectoryName(trimmed) is { Length: > 0 } p ? p : "/", name);
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();
}
