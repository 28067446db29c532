using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;
using System.Collections.Concurrent;

namespace Pipeline.Baking;

/// <summary>
/// Debootstrap bases, made once per (suite, variant, mirror, packages): the root file system is kept as a tar in
/// <c>.nuke/temp/debootstrap/&lt;key&gt;.tar</c> and imported through the image-import API when the engine lacks it.
/// </summary>
public sealed class DebootstrapCache(DockerClient docker, string cacheDirectory)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new();

    public static Tool Tool { get; } = Tool.Apt("debootstrap");

    /// <summary>Makes sure the engine has the base image; returns its id.</summary>
    public async Task<string> EnsureAsync(DebootstrapBase baseImage, CancellationToken ct)
    {
        var gate = Locks.GetOrAdd(baseImage.Reference, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (await docker.InspectImageAsync(baseImage.Reference, ct) is { } existing) return existing.Id;
            var tar = await TarballAsync(baseImage, ct);
            Log.Information($"Importing the debootstrap base {baseImage.Reference} from {tar}");
            await using var stream = File.OpenRead(tar);
            var (repository, tag) = Split(baseImage.Reference);
            return await docker.ImportImageAsync(
                stream,
                repository,
                tag,
                [
                    $"LABEL {ImageLabels.Debootstrap}={baseImage.Key}",
                    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "CMD [\"/bin/bash\"]",
                ],
                ct
            );
        }
        finally { gate.Release(); }
    }

    /// <summary>The cached root file system tarball, made with debootstrap when missing (about a minute).</summary>
    public async Task<string> TarballAsync(DebootstrapBase baseImage, CancellationToken ct)
    {
        Directory.CreateDirectory(cacheDirectory);
        var tar = Path.Combine(cacheDirectory, $"{baseImage.Key}.tar");
        if (File.Exists(tar)) return tar;
        await using var fileLock = await LockAsync(Path.Combine(cacheDirectory, $"{baseImage.Key}.lock"), ct);
        if (File.Exists(tar)) return tar;

        var d = baseImage.Source;
        var root = Path.Combine(cacheDirectory, $"{baseImage.Key}.rootfs");
        if (Directory.Exists(root)) await Cli.Wrap("rm").WithArguments(["-rf", "--one-file-system", root]).RunBufferedAsync(ct);
        Log.Information(
            $"debootstrap {d.Suite} ({d.Variant}{(d.Packages.Count > 0 ? " + " + string.Join(", ", d.Packages) : "")}) from {d.Mirror}; "
            + $"cached as {tar}"
        );
        try
        {
            await Cli.Wrap("debootstrap").WithArguments(Arguments(d, root)).WithLog().RunAsync(ct);
            await Cli.Wrap("find")
                .WithArguments([Path.Combine(root, "var/cache/apt/archives"), "-name", "*.deb", "-delete"])
                .RunBufferedAsync(ct);
            await Cli.Wrap("tar")
                .WithArguments(["--numeric-owner", "--xattrs", "-C", root, "-cf", tar + ".partial", "."])
                .RunBufferedAsync(ct);
            File.Move(tar + ".partial", tar, overwrite: true);
        }
        finally
        {
            await Cli.Wrap("rm").WithArguments(["-rf", "--one-file-system", root]).RunBufferedAsync(CancellationToken.None);
        }
        return tar;
    }

    /// <summary>The debootstrap command line for a base.</summary>
    public static IReadOnlyList<string> Arguments(ImageSource.Debootstrap d, string target) =>
        [
            $"--variant={d.Variant}",
            .. d.Packages.Count > 0 ? new[] { $"--include={string.Join(',', d.Packages)}" } : [],
            d.Suite,
            target,
            d.Mirror,
        ];

    private static (string Repository, string Tag) Split(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return (reference[..colon], reference[(colon + 1)..]);
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) { await Task.Delay(500, ct); }
        }
    }
}
