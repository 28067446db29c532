using Pipeline.Engine;
using Pipeline.Tools.Docker;
using System.Diagnostics;

namespace Pipeline.Baking;

/// <summary>
/// Bakes planned images through the Docker engine: an image whose content-addressed tag exists is up to date (nothing
/// is sent to the builder, its tags are checked); the others are built parents first, independent ones in parallel.
/// A failure names the provisioner and its last output lines; the other branches finish, descendants are skipped.
/// </summary>
public sealed class Baker(DockerClient docker, BakeOptions options)
{
    private readonly DebootstrapCache _bases = new(docker, options.Layout.DebootstrapCache);

    public async Task<ImagesManifest> BakeAsync(ImageCatalog catalog, CancellationToken ct)
    {
        var plan = BakePlanner.Plan(catalog, LocalAptRepository.Load(options.Layout.AptRepository), options.Naming);
        using var slots = new SemaphoreSlim(Math.Max(1, options.Parallel));
        // One call tells which content-addressed tags exist (and where every tag points): a no-op bake asks nothing more.
        var baked = await docker.ListImagesAsync([ImageLabels.InputHash], null, ct);
        var tasks = new Dictionary<string, Task<ManifestImage>>(StringComparer.Ordinal);
        foreach (var image in plan)
        {
            var parent = image.Definition.Parent is { } p ? tasks[p] : null;
            tasks[image.Name] = Task.Run(() => BakeOneAsync(image, parent, catalog.Ancestors(image.Name), baked, slots, ct), ct);
        }
        try { await Task.WhenAll(tasks.Values); }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            var failures = tasks
                .Values.Where(t => t.IsFaulted)
                .Select(t => t.Exception!.InnerException!)
                .Where(e => e is not SkippedException)
                .ToList();
            if (failures.Count == 0) throw;
            if (failures.Count == 1 || failures[0] is not PipelineException)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failures[0]).Throw();
            throw new PipelineException(string.Join(Environment.NewLine, failures.Select(f => f.Message)));
        }
        var manifest = new ImagesManifest(DateTimeOffset.UtcNow, [.. plan.Select(i => tasks[i.Name].Result)]);
        await manifest.WriteAsync(options.Layout.Manifest, ct);
        return manifest;
    }

    private async Task<ManifestImage> BakeOneAsync(
        PlannedImage image,
        Task<ManifestImage>? parent,
        IReadOnlyList<string> ancestors,
        IReadOnlyList<ImageSummary> baked,
        SemaphoreSlim slots,
        CancellationToken ct
    )
    {
        if (parent is not null)
        {
            try { await parent; }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                Log.Warning($"{image.Name}: skipped, its parent {image.Definition.Parent} did not bake.");
                throw new SkippedException();
            }
        }
        var watch = Stopwatch.StartNew();
        var tags = (IReadOnlyList<string>)[image.HashTag, .. image.Tags];
        if (baked.FirstOrDefault(i => i.Tags.Contains(image.HashTag) && i.Label(ImageLabels.InputHash) == image.InputHash) is { } existing)
        {
            await RetagAsync(existing.Id, image.Tags.Where(t => !existing.Tags.Contains(t)).ToList(), ct);
            var saved = await SaveAsync(image, tags, built: false, ct);
            Log.Information($"{image.Name}: up to date ({image.HashTag}).");
            return Entry(image, existing.Id, tags, ancestors, watch, ManifestImage.UpToDate, saved);
        }

        await slots.WaitAsync(ct);
        try
        {
            if (image.Base is { } baseImage) await _bases.EnsureAsync(baseImage, ct);
            Log.Information(
                $"{image.Name}: baking {image.HashTag} from {image.From} ({image.Definition.Provisioners.Count} provisioners)."
            );
            var id = await BuildAsync(image, tags, ct);
            var saved = await SaveAsync(image, tags, built: true, ct);
            Log.Information(
                $"{image.Name}: built {image.HashTag} ({id[..Math.Min(19, id.Length)]}) in {watch.Elapsed.TotalSeconds:0.0} s."
            );
            return Entry(image, id, tags, ancestors, watch, ManifestImage.Built, saved);
        }
        finally { slots.Release(); }
    }

    private async Task<string> BuildAsync(PlannedImage image, IReadOnlyList<string> tags, CancellationToken ct)
    {
        await using var context = await ContextArchive.ToStreamAsync(image.Generated, image.Dockerfile, ct);
        Log.Debug($"{image.Name}: Dockerfile{Environment.NewLine}{image.Dockerfile}");
        var build = new BuildOptions { Tags = tags, KeepFailedContainer = options.KeepOnError };
        var step = 0;
        try
        {
            return await docker.BuildImageAsync(context, build, e =>
            {
                switch (e)
                {
                    case BuildEvent.Step s:
                        step = s.Number;
                        Log.Information($"{image.Name}: step {s.Number}/{s.Total} {image.Generated.OriginOf(s.Number)}");
                        break;
                    case BuildEvent.CacheHit: Log.Debug($"{image.Name}:   (layer cache)"); break;
                    case BuildEvent.Output o: Log.Information($"{image.Name}  | {o.Line}"); break;
                }
            }, ct);
        }
        catch (DockerBuildException e)
        {
            var origin = image.Generated.OriginOf(e.Step?.Number ?? step);
            var message = $"{image.Definition.File}: {origin}: failed: {Reason(e.Message)}";
            if (e.LastLines.Count > 0)
                message +=
                    $"{Environment.NewLine}Last output lines:{Environment.NewLine}  "
                    + string.Join($"{Environment.NewLine}  ", e.LastLines.TakeLast(10));
            if (e.ContainerId is { } kept)
                message += Environment.NewLine + await KeptAsync(image, kept, ct);
            else if (!options.KeepOnError)
                message += $"{Environment.NewLine}(run with --keep-on-error to keep the failing container and enter it)";
            throw new PipelineException(message, e);
        }
        catch (DockerApiException e)
        {
            throw new PipelineException(
                $"{image.Definition.File}: the engine refused the generated Dockerfile: {e.EngineMessage} (see it with --verbosity "
                + $"verbose)",
                e
            );
        }
    }

    /// <summary>Commits the failing step's container so it can be entered; says how.</summary>
    private async Task<string> KeptAsync(PlannedImage image, string container, CancellationToken ct)
    {
        var repository = options.Naming.Repository($"{image.Name}-failed");
        var tag = InputHash.Short(image.InputHash);
        await docker.CommitContainerAsync(container, repository, tag, ct);
        return $"Kept the failing container {container[..12]} (committed as {repository}:{tag}). Enter it with:{Environment.NewLine}" +
               $"  docker run -it --rm --entrypoint /bin/sh {repository}:{tag}{Environment.NewLine}" +
               $"Clean up with: docker rm {container[..12]} && docker rmi {repository}:{tag}";
    }

    private async Task RetagAsync(string id, IReadOnlyList<string> tags, CancellationToken ct)
    {
        foreach (var tag in tags)
        {
            if ((await docker.InspectImageAsync(tag, ct))?.Id == id) continue;
            var colon = tag.LastIndexOf(':');
            await docker.TagImageAsync(id, tag[..colon], tag[(colon + 1)..], ct);
            Log.Information($"{tag} now points at {id[..19]}.");
        }
    }

    /// <summary>Beside a saved archive: the input hash it was saved for (Publish reuses an archive whose stamp is current).</summary>
    public static string ArchiveStamp(string archive) => archive + ".input-hash";

    private async Task<string?> SaveAsync(PlannedImage image, IReadOnlyList<string> tags, bool built, CancellationToken ct)
    {
        if (!image.Definition.Outputs.Save) return null;
        var path = Path.Combine(options.Layout.SaveDirectory, $"{image.Name}.tar");
        var stamp = ArchiveStamp(path);
        if (built || !File.Exists(path) || !File.Exists(stamp) || File.ReadAllText(stamp).Trim() != image.InputHash)
        {
            Directory.CreateDirectory(options.Layout.SaveDirectory);
            File.Delete(stamp); // first: a run killed before the new stamp is written leaves no stamp vouching for other bytes
            await using (var file = File.Create(path + ".partial"))
                await docker.SaveImagesAsync(tags, file, ct);
            File.Move(path + ".partial", path, overwrite: true);
            await File.WriteAllTextAsync(stamp, image.InputHash, ct);
            Log.Information(
                $"{image.Name}: saved {Path.GetRelativePath(options.Layout.Root, path)} ({new FileInfo(path).Length / 1048576.0:0.0} MiB)."
            );
        }
        return Path.GetRelativePath(options.Layout.Root, path);
    }

    private static ManifestImage Entry(
        PlannedImage image,
        string id,
        IReadOnlyList<string> tags,
        IReadOnlyList<string> ancestors,
        Stopwatch watch,
        string status,
        string? saved
    ) => new(image.Name, id, image.InputHash, tags, ancestors, image.From, Math.Round(watch.Elapsed.TotalSeconds, 2), status, saved);

    /// <summary>The engine's reason without the generated RUN line it quotes: <c>exited with code 7</c>.</summary>
    private static string Reason(string message) =>
        System.Text.RegularExpressions.Regex.Match(
            message,
            @"The command .* returned a non-zero code: (\d+)$",
            System.Text.RegularExpressions.RegexOptions.Singleline
        )
            is { Success: true } m
            ? $"exited with code {m.Groups[1].Value}"
            : message.Split(": ", 2).Last();

    private sealed class SkippedException() : Exception("skipped");
}
