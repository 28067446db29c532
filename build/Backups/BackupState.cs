using Pipeline.Engine;
using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// Where backups keep their local state (under <c>.nuke/temp/backups</c>): staging folders, and per repository
/// (keyed by a hash of its bucket and prefix) the manifest and pack-index caches and the file cache of each set.
/// Everything here can be deleted: it is rebuilt from the repository.
/// </summary>
public sealed record BackupState(AbsolutePath Directory)
{
    /// <summary>The state of a build: <c>&lt;temporaryDirectory&gt;/backups</c>.</summary>
    public static BackupState In(AbsolutePath temporaryDirectory) => new(temporaryDirectory / "backups");

    /// <summary>Where sources not on this machine are fetched before a backup.</summary>
    public AbsolutePath Staging => Directory / "staging";

    /// <summary>Where a restored copy of a source not on this machine is verified before it is put back.</summary>
    public AbsolutePath RestoreStaging(BackupSet set, string source) => Directory / "restore-staging" / set.Name / source;

    /// <summary>Snapshot manifests read before (immutable once written).</summary>
    public AbsolutePath Manifests(BackupSet set) => Directory / "manifests" / RepositoryKey(set);

    /// <summary>Pack indexes read before (they never change once written).</summary>
    public AbsolutePath Indexes(BackupSet set) => Directory / "indexes" / RepositoryKey(set);

    /// <summary>The set's file cache: size, time and hash of each file last backed up, to trust unchanged files.</summary>
    public AbsolutePath FileCache(BackupSet set) => Directory / "cache" / RepositoryKey(set) / $"{set.Name}.json";

    /// <summary>The copy of a repository's marker (<see cref="RepositoryConfig"/>) this machine saw.</summary>
    public AbsolutePath Config(string repository) => Directory / "repositories" / $"{KeyOf(repository)}.json";

    private static string RepositoryKey(BackupSet set) => KeyOf(set.Repository);

    /// <summary>A repository's (bucket and prefix) name in local state.</summary>
    public static string KeyOf(string repository) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(repository)))[..16];
}
