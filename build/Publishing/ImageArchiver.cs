using Pipeline.Engine;

namespace Pipeline.Publishing;

/// <summary>
/// The registry-less transport (the immutable-infrastructure seed ships a directory): each image saved with
/// <c>docker save</c> (through the Engine API) to <c>artifacts/images/&lt;name&gt;-&lt;hash12&gt;.tar</c> beside a
/// <c>.sha256</c> in <c>sha256sum</c> format, which Deploy copies over SSH, checks and loads.
/// An archive whose checksum still matches is up to date and not saved again; an image Images already saved
/// (<c>save: true</c>, its <c>.input-hash</c> stamp current) is not saved a second time: that archive is hard-linked.
/// </summary>
public sealed class ImageArchiver(IImageEngine engine, PublishLayout layout)
{
    public async Task<IReadOnlyList<PublishedImage>> SaveAsync(IReadOnlyList<BuiltImage> images, CancellationToken ct)
    {
        layout.Archives.CreateDirectory();
        var list = new List<PublishedImage>();
        foreach (var image in images) list.Add(await SaveOneAsync(image, ct));
        return list;
    }

    public static string FileName(BuiltImage image) => $"{image.Name}-{image.InputHash[..12].ToLowerInvariant()}.tar";

    private async Task<PublishedImage> SaveOneAsync(BuiltImage image, CancellationToken ct)
    {
        var tar = layout.Archives / FileName(image);
        var sums = tar + ".sha256";
        string status;
        string hash;
        if (File.Exists(tar) && File.Exists(sums) && ReadSum(sums) is { } recorded && recorded == await FileHash.Sha256Async(tar, ct))
        {
            hash = recorded;
            status = "up-to-date";
            Log.Information($"{image.Name}: {Relative(tar)} up to date (sha256 {hash[..12]}…)");
        }
        else if (BakedArchive(image) is { } baked)
        {
            // The same bytes under this archive's own name: Images rewrites its <name>.tar on the next bake (a new file
            // renamed over it), which leaves a hard link to the old one whole.
            var temp = tar + ".tmp";
            File.Delete(temp);
            if (link(baked, temp) != 0) File.Copy(baked, temp);
            hash = await FileHash.Sha256Async(temp, ct);
            File.Move(temp, tar, overwrite: true);
            await File.WriteAllTextAsync(sums, $"{hash}  {Path.GetFileName(tar)}\n", ct);
            status = "saved";
            Log.Information($"{image.Name}: {Relative(tar)} linked to {Relative(baked)}, which Images saved (sha256 {hash[..12]}…)");
        }
        else
        {
            var temp = tar + ".tmp";
            var references = image.Tags.Count > 0 ? image.Tags : [image.Id];
            await using (var file = File.Create(temp))
                await engine.SaveAsync(references, file, ct);
            hash = await FileHash.Sha256Async(temp, ct);
            File.Move(temp, tar, overwrite: true);
            await File.WriteAllTextAsync(sums, $"{hash}  {Path.GetFileName(tar)}\n", ct);
            status = "saved";
            Log.Information($"{image.Name}: saved {Relative(tar)} ({LayerProgress.Size(new FileInfo(tar).Length)}, sha256 {hash[..12]}…)");
        }
        return new PublishedImage(image.Name, image.InputHash, null, null, image.Id, image.Tags, image.Id)
        { Archive = Relative(tar), ArchiveSha256 = hash, Status = status };
    }

    /// <summary>The archive Images saved for this very input hash, or null.</summary>
    private AbsolutePath? BakedArchive(BuiltImage image)
    {
        if (image.Saved is null) return null;
        var path = layout.Resolve(image.Saved);
        var stamp = Baking.Baker.ArchiveStamp(path);
        return File.Exists(path) && File.Exists(stamp) && File.ReadAllText(stamp).Trim() == image.InputHash ? path : null;
    }

    /// <summary>The hash of a <c>sha256sum</c> line (<c>&lt;hex&gt;  &lt;file&gt;</c>), or null.</summary>
    public static string? ReadSum(string path)
    {
        var text = File.ReadAllText(path).Trim();
        var hex = text.Split(' ', 2)[0];
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex.ToLowerInvariant() : null;
    }

    private string Relative(AbsolutePath path) => layout.Relative(path);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string added);
}
