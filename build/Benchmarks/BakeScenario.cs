using CliWrap;
using Pipeline.Baking;
using Pipeline.Engine;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;

namespace Pipeline.Benchmarks;

/// <summary>
/// A no-op bake of the example chain (every image up to date: plan, hash, one inspect per image, nothing sent to the
/// builder) beside <c>docker build</c> of the same generated Dockerfiles and contexts with a warm layer cache
/// (classic builder, every step cached), both in this run; the goal is judged on the whole command, <c>./build.sh Images</c>
/// beside the same <c>docker build</c>s.
/// </summary>
public sealed class BakeScenario : IBenchmarkScenario
{
    public const double Goal = 0.2, WholeGoal = 0.5;
    public string Name => "bake";
    public bool UsesDocker => true;

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var root = context.Root;
        var runs = Math.Max(5, context.Runs);
        using var docker = new DockerClient();
        var options = new BakeOptions(ImageLayout.Of(root, context.Build.ArtifactsDirectory, context.Build.TemporaryDirectory));
        var baker = new Baker(docker, options);
        Func<string, string?> variables = Environment.GetEnvironmentVariable;

        Log.Information("bake: ./build.sh Images once (warm; builds the packages and images that are missing)…");
        await Measurement.RunQuietAsync(WholeCommand.BuildSh(root, "Images"), ct);

        var plan = BakePlanner.Plan(
            ImageCatalog.Load(root, variables),
            LocalAptRepository.Load(options.Layout.AptRepository),
            options.Naming
        );
        var contexts = context.Build.TemporaryDirectory / "bench-bake";
        if (contexts.Exists) Directory.Delete(contexts, recursive: true);
        foreach (var image in plan) await WriteContextAsync(image, contexts / image.Name, ct);
        var builds = plan.Select(i =>
                Cli.Wrap("docker").WithArguments(["build", "-q", contexts / i.Name]).WithEnvironment("DOCKER_BUILDKIT", "0")
            )
            .ToList();
        foreach (var build in builds) await Measurement.RunQuietAsync(build, ct); // warm the layer cache for the peer too

        Log.Information($"Measuring the no-op bake of {plan.Count} images, {runs} runs…");
        var ours = await Measurement.TakeAsync(
            $"Pipeline no-op bake of {string.Join(" → ", plan.Select(p => p.Name))} (load + plan + hashes + one image list, in process)",
            runs,
            async c =>
            {
                var manifest = await baker.BakeAsync(ImageCatalog.Load(root, variables), c);
                if (manifest.Images.Any(i => i.Status != ManifestImage.UpToDate))
                    throw new PipelineException("bake: the no-op bake built something.");
            },
            ct
        );
        Log.Information($"Measuring docker build of the same {plan.Count} Dockerfiles (warm cache), {runs} runs…");
        var peer = await Measurement.TakeAsync(
            "`docker build` of the same generated Dockerfiles (classic builder, all layers cached)",
            runs,
            async c =>
            {
                foreach (var build in builds)
                    await Measurement.RunQuietAsync(build, c);
            },
            ct
        );
        Log.Information($"bake: {BenchmarkReport.Ratio(ours, peer):0.000} × docker build with a warm cache (goal ≤ {Goal})");
        var whole = await WholeCommand.MeasureAsync(
            ("`./build.sh Images`, nothing changed (Packages and ValidateImages included)",
                c => Measurement.RunQuietAsync(WholeCommand.BuildSh(root, "Images"), c)),
            ($"`docker build` of the same {plan.Count} images, all cached", async c =>
            {
                foreach (var build in builds) await Measurement.RunQuietAsync(build, c);
            }
        ),
            runs,
            WholeGoal,
            ct
        );
        Directory.Delete(contexts, recursive: true);
        return BenchmarkReport.Render(
            "Bake: no-op bake of the example images",
            "Content addressing decides before the builder is asked: an image whose `<name>:<hash12>` tag exists is up to date and "
            + "nothing is sent (no context upload, no cache walk).",
            ours,
            peer,
            Goal,
            whole
        );
    }

    private static async Task WriteContextAsync(PlannedImage image, AbsolutePath directory, CancellationToken ct)
    {
        directory.CreateDirectory();
        await File.WriteAllTextAsync(directory / "Dockerfile", image.Dockerfile, ct);
        foreach (var entry in image.Generated.Entries)
        {
            var path = directory / entry.Path;
            path.Parent.CreateDirectory();
            await File.WriteAllBytesAsync(path, entry.ReadAllBytes(), ct);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, entry.Mode);
        }
    }
}
