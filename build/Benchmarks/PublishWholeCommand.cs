using CliWrap;
using Pipeline.Engine;
using Pipeline.Publishing;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;

namespace Pipeline.Benchmarks;

/// <summary>
/// The publish goal as a user meets it: <c>./build.sh Publish --skip</c> of the repository's own images to the local
/// environment's registry (127.0.0.1:21500, the build's docker-registry), with nothing to push, beside
/// <c>docker push --all-tags</c> re-pushing the same images under the same tags to the same registry.
/// </summary>
public static class PublishWholeCommand
{
    public const double Goal = 1.0;

    public static async Task<WholeCommand> MeasureAsync(BenchmarkContext context, DockerClient docker, int runs, CancellationToken ct)
    {
        var root = context.Root;
        Log.Information("publish: baking and publishing the example images once with ./build.sh (not measured)…");
        await Measurement.RunQuietAsync(WholeCommand.BuildSh(root, "Images"), ct);
        var publish = WholeCommand.BuildSh(root, "Publish", "--skip");
        await Measurement.RunQuietAsync(publish, ct);

        var layout = PublishLayout.Of(root, context.Build.ArtifactsDirectory, context.Build.TemporaryDirectory);
        var built = BuiltImages.Load(layout.ImagesManifest);
        var published = PublishedManifest.Load(layout.Published).Images.Where(p => p.Repository is not null).ToList();
        var added = new List<string>();
        var config = context.Build.TemporaryDirectory / "bench-publish-whole" / "docker-config";
        try
        {
            foreach (var image in published)
                foreach (var tag in image.Tags)
                {
                    if (await docker.InspectImageAsync($"{image.Repository}:{tag}", ct) is not null) continue;
                    await docker.TagImageAsync(built.Single(b => b.Name == image.Name).Id, image.Repository!, tag, ct);
                    added.Add($"{image.Repository}:{tag}");
                }
            config.CreateDirectory();
            var password = await File.ReadAllTextAsync(layout.LocalRegistry / "password", ct);
            Secrets.Register(password.Trim());
            await Cli.Wrap("docker")
                .WithArguments(
                    ["--config", config, "login", "-u", Build.LocalRegistryUser, "--password-stdin", published[0].Repository!.Split('/')[0]]
                )
                .WithStandardInput(password.Trim())
                .RunBufferedAsync(ct);
            var pushes = published.Select(p => p.Repository!).Distinct()
                .Select(r => Cli.Wrap("docker").WithArguments(["--config", config, "push", "--all-tags", "-q", r]))
                .ToList();
            return await WholeCommand.MeasureAsync(
                ("`./build.sh Publish --skip` (nothing to push)", c => Measurement.RunQuietAsync(publish, c)),
                ($"`docker push --all-tags` re-push of the same {pushes.Count} repositories", async c =>
                {
                    foreach (var push in pushes) await Measurement.RunQuietAsync(push, c);
                }
            ),
                runs,
                Goal,
                ct
            );
        }
        finally
        {
            if (config.Parent.Exists) Directory.Delete(config.Parent, recursive: true);
            foreach (var reference in added) await docker.RemoveImageAsync(reference, force: false, CancellationToken.None);
        }
    }
}
