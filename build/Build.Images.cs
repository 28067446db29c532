using Pipeline.Baking;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Docker;

namespace Pipeline;

/// <summary>Packer-style, content-addressed images from images/*/image.yml through the Docker Engine API.</summary>
partial class Build
{
    [Parameter("Bake at most this many independent images at once.", Minimum = 1, Maximum = 64)]
    readonly int Parallel = 2;

    [Parameter("When a provisioner fails, keep its container (committed as <name>-failed:<hash>) and print how to enter it.")]
    readonly bool KeepOnError;

    /// <summary>The Docker engine (Debian's docker.io); started only when nothing answers on /var/run/docker.sock.</summary>
    LocalService Dockerd => DockerDaemon.Spec();

    /// <summary>Starts the local engine unless DOCKER_HOST names another one; an engine already answering is kept.</summary>
    async Task EnsureDockerAsync(CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is null) await LocalServices.StartAsync(Dockerd, ct);
    }

    Target ValidateImages => _ => _
        .Description("Check every images/*/image.yml (schema, parents, cycles, referenced files) before anything is built.")
        .Executes(() =>
        {
            var catalog = LoadImages();
            Log.Information(
                $"{catalog.Images.Count} image definition(s) valid: "
                + $"{string.Join(", ", catalog.Images.Select(i => i.Parent is { } p ? $"{i.Name} (from {p})" : i.Name))}."
            );
        });

    Target Images => _ => _
        .Description("Bake the images of images/ that changed (content-addressed); write artifacts/images.json.")
        .DependsOn(ValidateImages, Packages)
        .Needs([DockerDaemon.Tool, .. DebootstrapCache.Tools])
        .Executes(async ct =>
        {
            if (Parallel < 1) throw new UsageException("--parallel must be at least 1.");
            await EnsureDockerAsync(ct);
            using var docker = new DockerClient();
            var manifest = await new Baker(
                docker,
                new BakeOptions(ImageLayout) { Parallel = Parallel, KeepOnError = KeepOnError }
            ).BakeAsync(LoadImages(), ct);
            var built = manifest.Images.Count(i => i.Status == ManifestImage.Built);
            Log.Information(
                $"{built} built, {manifest.Images.Count - built} up to date; wrote "
                + $"{(ArtifactsDirectory / "images.json").RelativeTo(RootDirectory)}."
            );
        });

    /// <summary>images/*/image.yml, validated; <c>${VAR}</c> comes from the build's parameters and the environment.</summary>
    /// <summary>Where bakes read the apt repository and leave images.json, saved images and the debootstrap cache.</summary>
    ImageLayout ImageLayout => ImageLayout.Of(RootDirectory, ArtifactsDirectory, TemporaryDirectory);

    ImageCatalog? _images;
    /// <summary>Read once per run: ValidateInputs, ValidateImages and Images each ask for it.</summary>
    ImageCatalog LoadImages() => _images ??= ImageCatalog.Load(RootDirectory, name => name switch
    {
        "ENVIRONMENT" => EnvironmentName,
        "CONFIGURATION" => Configuration,
        _ => Environment.GetEnvironmentVariable(name),
    });
}
