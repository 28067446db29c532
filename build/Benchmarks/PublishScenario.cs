using CliWrap;
using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Publishing;
using Pipeline.Tools.Docker;
using Pipeline.Tools.Process;
using Pipeline.Tools.Registry;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>
/// A second (no-op) Publish beside <c>docker push</c> re-pushing the same images, same run, against a real
/// docker-registry with htpasswd auth on 127.0.0.1:21520. Ours is the Publish target's body (git version, the
/// registry checks, published.json) in-process, to show where the time goes; the goal is judged on the whole command
/// (<see cref="PublishWholeCommand"/>).
/// </summary>
public sealed class PublishScenario : IBenchmarkScenario
{
    public const double Goal = 0.3;
    private const int Port = 21520;
    private const string User = "bench";
    private const string Label = "pipeline-bench-publish";
    private static readonly string[] Names = ["heartbeat", "api", "worker"];

    public string Name => "publish";
    public bool UsesDocker => true;

    public async Task<string> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var root = context.Root;
        var directory = context.Build.TemporaryDirectory / "bench-publish";
        var services = new LocalServiceManager(directory / "services");
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Secrets.Register(password);
        using var docker = new DockerClient();
        var dockerConfig = directory / "docker-config";
        try
        {
            RegistryService.Prepare(directory / "registry", Port, User, password);
            await services.StartAsync(RegistryService.Spec("bench-registry", directory / "registry", Port), ct);
            var images = await BuildImagesAsync(docker, ct);
            var registry = new RegistryDefinition(
                "bench",
                new RegistryEndpoint($"127.0.0.1:{Port}", Tls: false),
                "bench",
                null,
                "BenchPassword",
                "benchmark"
            );
            var credentials = new RegistryCredentials(User, password);
            var engine = new DockerImageEngine(docker);
            var published = directory / "published.json";

            async Task<IReadOnlyList<PublishedImage>> PublishOnce(CancellationToken c)
            {
                var version = await SourceVersion.ReadAsync(root, c);
                var publisher = new Publisher(engine, _ => credentials, new PublishOptions("bench", version, null, IsServerBuild: true));
                var result = await publisher.PublishAsync([registry], images, c);
                await new PublishedManifest("bench", result).WriteAsync(published, c);
                return result;
            }

            Log.Information("Pushing the images once (not measured)…");
            var first = await PublishOnce(ct);
            Directory.CreateDirectory(dockerConfig);
            await Cli.Wrap("docker").WithArguments(["--config", dockerConfig, "login", "-u", User, "--password-stdin", registry.Address])
                .WithStandardInput(password).RunBufferedAsync(ct);
            // The same images under the same tags: every tag Publish keeps is a local tag too, pushed with --all-tags.
            foreach (var p in first)
                foreach (var tag in p.Tags) await docker.TagImageAsync(images.Single(i => i.Name == p.Name).Id, p.Repository!, tag, ct);
            var pushes = first
                .Select(p => Cli.Wrap("docker").WithArguments(["--config", dockerConfig, "push", "--all-tags", "-q", p.Repository!]))
                .ToList();
            foreach (var push in pushes) await Measurement.RunQuietAsync(push, ct); // warm

            var runs = Math.Max(5, context.Runs);
            Log.Information($"Measuring a no-op Publish of {images.Count} images, {runs} runs…");
            var ours = await Measurement.TakeAsync($"Publish, second run ({images.Count} images, nothing to push)", runs, async c =>
            {
                if ((await PublishOnce(c)).Any(p => p.Status != "up-to-date"))
                    throw new PipelineException("benchmark: the second Publish pushed something.");
            }, ct);
            Log.Information($"Measuring docker push of the same {images.Count} images, {runs} runs…");
            var peer = await Measurement.TakeAsync(
                $"`docker push --all-tags` re-push ({images.Count} images with the same tags, one after another)",
                runs,
                async c =>
                {
                    foreach (var push in pushes)
                        await Measurement.RunQuietAsync(push, c);
                },
                ct
            );

            Log.Information($"publish: {BenchmarkReport.Ratio(ours, peer):0.000} × a docker push re-push (goal ≤ {Goal})");
            var whole = await PublishWholeCommand.MeasureAsync(context, docker, runs, ct);
            return BenchmarkReport.Render(
                "Publish: a second run beside a docker push re-push",
                "Both against a real docker-registry 2.8 (htpasswd auth) on 127.0.0.1. Publish GETs each image's hash-tag manifest "
                    + "(its config digest must be the image id) and HEADs its other tags, images in parallel, and pushes nothing; "
                    + "`docker push --all-tags` re-checks every layer blob and re-PUTs the manifest of each tag. Ours runs in-process "
                        + "(the Publish target's body: "
                    + "git version, registry checks, published.json); the build's start-up is measured by the startup scenario.",
                ours,
                peer,
                Goal,
                whole
            );
        }
        finally
        {
            if (Directory.Exists(dockerConfig)) Directory.Delete(dockerConfig, recursive: true);
            await services.StopAllAsync(CancellationToken.None);
            await docker.RemoveLabelledAsync($"{Label}=1", images: true, CancellationToken.None);
        }
    }

    private static async Task<IReadOnlyList<BuiltImage>> BuildImagesAsync(DockerClient docker, CancellationToken ct)
    {
        using (var rootfs = Tar(("hello.txt", "hello\n")))
            await docker.ImportImageAsync(rootfs, "pipeline-bench-publish-base", "1", [$"LABEL {Label}=1", "CMD [\"/hello.txt\"]"], ct);
        var images = new List<BuiltImage>();
        foreach (var name in Names)
        {
            var content = $"{name} {Guid.NewGuid()}";
            using var tar = Tar(("Dockerfile", "FROM pipeline-bench-publish-base:1\nCOPY app.txt /app.txt\n"), ("app.txt", content));
            var id = await docker.BuildImageAsync(
                tar,
                new BuildOptions { Labels = new Dictionary<string, string> { [Label] = "1" } },
                null,
                ct
            );
            images.Add(new BuiltImage(name, id, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))), []));
        }
        return images;
    }

    private static MemoryStream Tar(params (string Name, string Content)[] files)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, content) in files)
                writer.WriteEntry(
                    new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) }
                );
        stream.Position = 0;
        return stream;
    }
}
