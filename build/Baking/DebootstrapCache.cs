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

    /// <summary>What a bake starts: debootstrap, and sudo, through which a build that is not root runs it.</summary>
    public static IReadOnlyList<Tool> Tools { get; } = [Tool, Tool.Apt("sudo")];

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
        var asRoot = Environment.IsPrivilegedProcess;
        if (Directory.Exists(root)) await Privileged(["rm", "-rf", "--one-file-system", root], asRoot).RunBufferedAsync(ct);
        Log.Information(
            $"debootstrap {d.Suite} ({d.Variant}{(d.Packages.Count > 0 ? " + " + string.Join(", ", d.Packages) : "")}) from {d.Mirror}; "
            + $"cached as {tar}"
        );
        try
        {
            await Privileged(["debootstrap", .. Arguments(d, root)], asRoot).WithLog().RunAsync(ct);
            await Privileged(["find", Path.Combine(root, "var/cache/apt/archives"), "-name", "*.deb", "-delete"], asRoot)
                .RunBufferedAsync(ct);
            // The tar streams to a file of this user's: a bake under sudo leaves nothing root-owned in the cache.
            await using (var partial = File.Create(tar + ".partial"))
                await Privileged(["tar", "--numeric-owner", "--xattrs", "-C", root, "-cf", "-", "."], asRoot)
                    .WithStandardOutputPipe(PipeTarget.ToStream(partial)).RunAsync(ct);
            File.Move(tar + ".partial", tar, overwrite: true);
        }
        finally
        {
            await Privileged(["rm", "-rf", "--one-file-system", root], asRoot).RunBufferedAsync(CancellationToken.None);
        }
        return tar;
    }

    /// <summary>
    /// A command that needs root (debootstrap makes device nodes and chroots; its tree is root's): as is for root, else
    /// through <c>sudo -n</c>, as a CI runner's user (passwordless sudo) or a laptop user with a sudo rule runs it. Without
    /// such a rule sudo says "a password is required" and the bake fails there, before any image is touched.
    /// </summary>
    public static Command Privileged(IReadOnlyList<string> argv, bool asRoot)
    {
        var line = PrivilegedArguments(argv, asRoot);
        return Cli.Wrap(line[0]).WithArguments(line.Skip(1));
    }

    /// <summary>The argv of <see cref="Privileged"/>.</summary>
    public static IReadOnlyList<string> PrivilegedArguments(IReadOnlyList<string> argv, bool asRoot) =>
        asRoot ? argv : ["sudo", "-n", "--", .. argv];

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
