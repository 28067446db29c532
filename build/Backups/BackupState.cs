using System.Security.Cryptography;

namespace Pipeline.Backups;

/// <summary>
/// Where backups keep their local state (under <c>.nuke/temp/backups</c>): staging folders, and per repository
/// (keyed by a hash of its bucket and prefix) the manifest and pack-index caches and the file cache of each set.
/// Everything here can be deleted: it is rebuilt from the repository.
/// </summary>
public sealed record BackupState(string Directory)
{
    /// <summary>Where sources not on this machine are fetched before a backup.</summary>
    public string Staging => Path.Combine(Directory, "staging");

    /// <summary>Where a restored copy of a source not on this machine is verified before it is put back.</summary>
    public string RestoreStaging(BackupSet set, string source) => Path.Combine(Directory, "restore-staging", set.Name, source);

    /// <summary>Snapshot manifests read before (immutable once written).</summary>
    public string Manifests(BackupSet set) => Path.Combine(Directory, "manifests", RepositoryKey(set));

    /// <summary>Pack indexes read before (they never change once written).</summary>
    public string Indexes(BackupSet set) => Path.Combine(Directory, "indexes", RepositoryKey(set));

    /// <summary>The set's file cache: size, time and hash of each file last backed up, to trust unchanged files.</summary>
    public string FileCache(BackupSet set) => Path.Combine(Directory, "cache", RepositoryKey(set), $"{set.Name}.json");

    private static string RepositoryKey(BackupSet set) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(set.Repository)))[..16];
}
