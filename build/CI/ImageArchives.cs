using Pipeline.Baking;
using Pipeline.Engine;
using Pipeline.Tools.Docker;
using System.IO.Compression;

namespace Pipeline.CI;

/// <summary>
/// How CI jobs hand images on by content: each image of artifacts/images.json as a gzip-compressed <c>docker save</c>
/// archive named by its input hash (<c>&lt;name&gt;-&lt;inputHash&gt;.tar.gz</c>) beside a <c>.sha256</c> in
/// <c>sha256sum</c> format. The images job writes them (its per-image cache and its <c>images</c> artifact hold them);
/// later jobs load them into their own engine, check the sha256 and the input-hash label, and so bake nothing.
/// </summary>
public sealed class ImageArchives(DockerClient docker, CiLayout layout)
{
    private AbsolutePath Folder => layout.ImageArchives;

    public static string ArchiveName(string image, string inputHash) => $"{image}-{inputHash}.tar.gz";

    /// <summary>Saves what is not there yet; an archive whose name (input hash) and checksum match is kept.</summary>
    public async Task SaveAsync(IReadOnlyList<ManifestImage> images, CancellationToken ct)
    {
        Folder.CreateDirectory();
        foreach (var image in images)
        {
            var path = Folder / ArchiveName(image.Name, image.InputHash);
            if (await VerifiedAsync(path, ct))
            {
                Log.Information(
                    $"{image.Name}: {Relative(path)} is current (restored from the cache of input hash {InputHash.Short(image.InputHash)})."
                );
                continue;
            }
            var partial = path + ".partial";
            await using (var file = File.Create(partial))
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
                await docker.SaveImagesAsync(image.Tags, gzip, ct);
            File.Move(partial, path, overwrite: true);
            var sha = await FileHash.Sha256Async(path, ct);
            await File.WriteAllTextAsync(path + ".sha256", $"{sha}  {Path.GetFileName(path)}\n", ct);
            Log.Information(
                $"{image.Name}: saved {Relative(path)} ({new FileInfo(path).Length / 1048576.0:0.0} MiB, sha256 {sha[..12]}…)."
            );
        }
    }

    /// <summary>
    /// Loads every archive of the folder whose image the engine lacks. With <paramref name="required"/> (the images
    /// artifacts/images.json names), an image neither in the engine nor archived is a one-line error saying what is missing.
    /// </summary>
    public async Task<int> LoadAsync(IReadOnlyList<ManifestImage>? required, CancellationToken ct)
    {
        var present = await docker.ListImagesAsync([ImageLabels.InputHash], null, ct);
        bool InEngine(string tag, string hash) => present.Any(i => i.Tags.Contains(tag) && i.Label(ImageLabels.InputHash) == hash);
        var archives = Folder.Exists
            ? Directory.GetFiles(Folder, "*.tar.gz").Order(StringComparer.Ordinal).Select(a => new AbsolutePath(a)).ToList()
            : [];
        var wanted = required
            ?.Select(i => (i.Name, i.InputHash, Tag: (string?)i.HashTag, Path: Folder / ArchiveName(i.Name, i.InputHash)))
            .ToList()
            ?? archives.Select(a => (a.Name, InputHash: "", Tag: (string?)null, Path: a)).ToList();
        var loaded = 0;
        foreach (var (name, hash, tag, path) in wanted)
        {
            if (tag is not null && InEngine(tag, hash))
            {
                Log.Information($"{name}: {tag} is already in the engine.");
                continue;
            }
            if (!File.Exists(path))
                throw new PipelineException(
                    $"Image '{name}' (input hash {InputHash.Short(hash)}) is neither in the engine nor in {Relative(Folder)}/: give "
                    + $"this job the images job's 'images' artifact there."
                );
            if (!await VerifiedAsync(path, ct))
                throw new PipelineException(
                    $"{Relative(path)} does not match its .sha256 (a damaged or partial download): download the 'images' artifact again."
                );
            await using (var file = File.OpenRead(path))
                await docker.LoadImagesAsync(file, Relative(path), ct);
            if (tag is not null && (await docker.InspectImageAsync(tag, ct))?.Labels.GetValueOrDefault(ImageLabels.InputHash) != hash)
                throw new PipelineException(
                    $"{Relative(path)} did not hold {tag} with input hash {InputHash.Short(hash)}: it is not the archive of this image."
                );
            Log.Information($"{name}: loaded {Relative(path)}{(tag is null ? "" : $" ({tag})")}.");
            loaded++;
        }
        return loaded;
    }

    /// <summary>True when the archive and its <c>.sha256</c> exist and agree.</summary>
    public static async Task<bool> VerifiedAsync(string path, CancellationToken ct)
    {
        var sums = path + ".sha256";
        if (!File.Exists(path) || !File.Exists(sums)) return false;
        var recorded = (await File.ReadAllTextAsync(sums, ct)).Split(' ', 2)[0].Trim();
        return recorded.Length == 64 && recorded == await FileHash.Sha256Async(path, ct);
    }

    private string Relative(AbsolutePath path) => layout.Relative(path);
}
