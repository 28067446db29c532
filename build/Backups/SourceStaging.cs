using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;

namespace Pipeline.Backups;

/// <summary>
/// Sources that are not on this machine are copied to a local staging folder first (modes and times kept), and
/// backed up from there; a restore of them is verified locally first, then copied back. Container sources go through
/// <c>docker cp</c> (argv lists), sources on hosts through <see cref="RemoteSources"/> (the pinned SSH.NET client).
/// </summary>
public static class SourceStaging
{
    public static Tool Docker => Tool.Apt("docker", "docker.io");

    /// <summary>The command that copies a container's <paramref name="source"/> to <paramref name="staged"/> (which must not
    /// exist).</summary>
    public static Command FetchCommand(BackupSource source, string staged) => source.Kind == SourceKind.Container
        ? Cli.Wrap("docker").WithArguments(["cp", "--archive", $"{source.Container}:{source.Path}", staged])
        : throw new ArgumentException($"{source.Name} is not in a container: nothing to docker cp");

    /// <summary>The command that puts a restored (and verified) local copy back into the container.</summary>
    public static Command PutBackCommand(BackupSource source, string restored, bool isFile) => source.Kind == SourceKind.Container
        ? Cli.Wrap("docker").WithArguments(["cp", "--archive", isFile ? restored : $"{restored}/.", $"{source.Container}:{source.Path}"])
        : throw new ArgumentException($"{source.Name} is not in a container: nothing to docker cp");

    /// <summary>Puts a restored copy back where the source lives (nothing to do for local ones: restored in place).</summary>
    public static async Task PutBackAsync(BackupSource source, string restored, bool isFile, RemoteSources remote, CancellationToken ct)
    {
        if (source.Kind == SourceKind.Container) await PutBackCommand(source, restored, isFile).WithLog().RunAsync(ct);
        else if (source.Kind == SourceKind.Ssh) await remote.PutBackAsync(source, restored, ct);
    }

    /// <summary>Where each source of the set is read from: local ones in place, others fetched into <paramref
    /// name="stagingDirectory"/>.</summary>
    public static async Task<IReadOnlyList<(BackupSource Source, string Root)>> StageAsync(
        BackupSet set,
        string stagingDirectory,
        RemoteSources remote,
        CancellationToken ct
    )
    {
        var roots = new List<(BackupSource, string)>();
        for (var i = 0; i < set.Sources.Count; i++)
        {
            var source = set.Sources[i];
            if (source.Kind == SourceKind.Local)
            {
                if (source.Optional && !Path.Exists(source.Path))
                    Log.Information($"{set.Name}: {source.Name} does not exist (optional): skipped.");
                else
                    roots.Add((source, source.Path));
                continue;
            }
            var staged = Path.Combine(stagingDirectory, set.Name, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            RestoreRunner.Delete(staged);
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            Log.Information($"{set.Name}: fetching {source.Name}…");
            if (source.Kind == SourceKind.Ssh) await remote.FetchAsync(source, staged, ct);
            else await FetchCommand(source, staged).WithLog().RunAsync(ct);
            roots.Add((source, staged));
        }
        return roots;
    }
}
