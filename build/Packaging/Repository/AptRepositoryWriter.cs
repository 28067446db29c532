using Pipeline.Engine;
using Pipeline.Packaging.Building;
using System.Text;

namespace Pipeline.Packaging.Repository;

/// <summary>
/// Writes the index of a flat APT repository (<c>deb [trusted=yes] file:/…/apt ./</c>) so that a reader never
/// sees a half-updated one: by-hash copies first, then Packages and Packages.gz, then Release (and the
/// signatures) last, each by an atomic rename. By-hash copies of the previous Release stay for readers mid-update.
/// </summary>
public sealed class AptRepositoryWriter(string repositoryDirectory, IReleaseSigner? signer = null)
{
    public const string PoolFolder = "pool";
    private string ByHash => Path.Combine(repositoryDirectory, "by-hash", "SHA256");

    /// <summary>Indexes the given .deb files of the pool, then removes the pool's other files. Returns the Release text.</summary>
    public async Task<string> WriteAsync(IReadOnlyList<string> poolFileNames, DateTimeOffset date, CancellationToken cancellationToken)
    {
        var pool = Path.Combine(repositoryDirectory, PoolFolder);
        var entries = poolFileNames.Order(StringComparer.Ordinal).Select(name => Entry(Path.Combine(pool, name))).ToList();

        var packages = Encoding.UTF8.GetBytes(PackagesIndex.Render(entries));
        var packagesGz = DeterministicGzip.Compress(packages);
        var indexes = new[] { IndexedFile.Of("Packages", packages), IndexedFile.Of("Packages.gz", packagesGz) };
        var release = Encoding.UTF8.GetBytes(ReleaseFile.Render(date, indexes));
        var previousRelease = ReadIfExists(Path.Combine(repositoryDirectory, "Release"));

        WriteByHash(indexes[0], packages);
        WriteByHash(indexes[1], packagesGz);
        AtomicFile.Write(Path.Combine(repositoryDirectory, "Packages"), packages);
        AtomicFile.Write(Path.Combine(repositoryDirectory, "Packages.gz"), packagesGz);
        if (signer is not null)
        {
            var (inRelease, releaseGpg) = await signer.SignAsync(release, cancellationToken);
            AtomicFile.Write(Path.Combine(repositoryDirectory, "Release.gpg"), releaseGpg);
            AtomicFile.Write(Path.Combine(repositoryDirectory, "Release"), release);
            AtomicFile.Write(Path.Combine(repositoryDirectory, "InRelease"), inRelease);
        }
        else
        {
            File.Delete(Path.Combine(repositoryDirectory, "InRelease"));
            File.Delete(Path.Combine(repositoryDirectory, "Release.gpg"));
            AtomicFile.Write(Path.Combine(repositoryDirectory, "Release"), release);
        }

        PruneByHash(keep: [.. indexes.Select(i => i.Sha256), .. ReleaseFile.Sha256Hashes(previousRelease ?? "")]);
        if (Directory.Exists(pool))
            foreach (var stale in Directory.GetFiles(pool).Where(f => !poolFileNames.Contains(Path.GetFileName(f))))
                File.Delete(stale);
        return Encoding.UTF8.GetString(release);
    }

    private PackagesIndex.Entry Entry(string debPath)
    {
        var content = File.ReadAllBytes(debPath);
        var control = DebReader.ReadControl(new MemoryStream(content));
        return new PackagesIndex.Entry(control, IndexedFile.Of($"{PoolFolder}/{Path.GetFileName(debPath)}", content));
    }

    private void WriteByHash(IndexedFile file, byte[] content)
    {
        var path = Path.Combine(ByHash, file.Sha256);
        if (!File.Exists(path)) AtomicFile.Write(path, content);
    }

    private void PruneByHash(IReadOnlyCollection<string> keep)
    {
        foreach (var file in Directory.GetFiles(ByHash).Where(f => !keep.Contains(Path.GetFileName(f))))
            File.Delete(file);
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
