using Pipeline.Engine;
using CliWrap;
using Pipeline.Tools.Process;

namespace Pipeline.Backups;

/// <summary>
/// Sources that are not on this machine are copied to a local staging folder first (modes and times kept), and
/// backed up from there; a restore of them is verified locally first, then copied back. Commands are argv lists.
/// </summary>
public static class SourceStaging
{
    public static Tool Docker => Tool.Apt("docker", "docker.io");
    public static Tool Scp => Tool.Apt("scp", "openssh-client");
    public static Tool Ssh => Tool.Apt("ssh", "openssh-client");

    /// <summary>The command that copies <paramref name="source"/> to <paramref name="staged"/> (which must not exist).</summary>
    public static Command FetchCommand(BackupSource source, string staged) => source.Kind switch
    {
        SourceKind.Container => Cli.Wrap("docker").WithArguments(["cp", "--archive", $"{source.Container}:{source.Path}", staged]),
        SourceKind.Ssh => Cli.Wrap("scp").WithArguments(["-r", "-p", "-q", "-o", "BatchMode=yes", $"{source.Host}:{source.Path}", staged]),
        _ => throw new ArgumentException($"{source.Name} is local: nothing to fetch"),
    };

    /// <summary>The commands that put a restored (and verified) local copy back into the container or onto the host.</summary>
    public static IReadOnlyList<Command> PutBackCommands(BackupSource source, string restored, bool isFile) => source.Kind switch
    {
        SourceKind.Container => [Cli.Wrap("docker").WithArguments(["cp", "--archive", isFile ? restored : $"{restored}/.", $"{source.Container}:{source.Path}"])],
        SourceKind.Ssh =>
        [
            Cli.Wrap("scp").WithArguments(["-r", "-p", "-q", "-o", "BatchMode=yes", restored, $"{source.Host}:{source.Path}.restoring"]),
            Cli.Wrap("ssh").WithArguments(["-o", "BatchMode=yes", source.Host!, "--", "rm", "-rf", $"{source.Path}.replaced", "&&",
                "mv", source.Path, $"{source.Path}.replaced", "&&", "mv", $"{source.Path}.restoring", source.Path, "&&", "rm", "-rf", $"{source.Path}.replaced"]),
        ],
        _ => [],
    };

    /// <summary>Where each source of the set is read from: local ones in place, others fetched into <paramref name="stagingDirectory"/>.</summary>
    public static async Task<IReadOnlyList<(BackupSource Source, string Root)>> StageAsync(BackupSet set, string stagingDirectory, CancellationToken ct)
    {
        var roots = new List<(BackupSource, string)>();
        for (var i = 0; i < set.Sources.Count; i++)
        {
            var source = set.Sources[i];
            if (source.Kind == SourceKind.Local)
            {
                if (source.Optional && !Path.Exists(source.Path)) Log.Information($"{set.Name}: {source.Name} does not exist (optional): skipped.");
                else roots.Add((source, source.Path));
                continue;
            }
            var staged = Path.Combine(stagingDirectory, set.Name, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            RestoreRunner.Delete(staged);
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            Log.Information($"{set.Name}: fetching {source.Name}…");
            await FetchCommand(source, staged).WithLog().RunAsync(ct);
            roots.Add((source, staged));
        }
        return roots;
    }
}
