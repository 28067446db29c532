using Pipeline.Baking;
using Pipeline.Engine;
using Pipeline.Tools.Docker;
using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Benchmarks;

/// <summary>The bake curve: a chain of 10 images (each copies one file onto its parent, the first starts from the
/// stand-in app's image), baked once, then one image changed at a time (the last, the 7th, the 4th, the first). Only it and
/// the images after it may be rebuilt (anything else fails the scenario); the law is one image's build for each.</summary>
public sealed partial class ScaleScenario
{
    private const int ChainLength = 10;

    private static string ChainImage(int i) => $"pipeline-bench-scale-c{i:D2}";

    private static async Task<GrowthLaw> BakeCurveAsync(BenchmarkContext context, AbsolutePath root, CancellationToken ct)
    {
        using var docker = new DockerClient();
        var tag = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var start = await HeartbeatStandIn.BuildAsync(docker, "pipeline-bench-scale/root", tag, "root", true, ct);
        for (var i = 1; i <= ChainLength; i++)
        {
            var folder = (root / ImageCatalog.Folder / ChainImage(i)).CreateDirectory();
            var from = i == 1 ? $"{{ reference: \"pipeline-bench-scale/root:{tag}\" }}" : ChainImage(i - 1);
            await File.WriteAllTextAsync(folder / "image.yml", $"""
                description: link {i} of the scale benchmark's chain
                from: {from}
                provisioners:
                  - file: {"{"} source: layer.txt, destination: /layer-{i:D2}.txt {"}"}
                """, ct);
            await File.WriteAllTextAsync(folder / "layer.txt", $"link {i}, revision 0\n", ct);
        }
        var baker = new Baker(docker, new BakeOptions(ImageLayout.Of(root, root / "artifacts", root / ".nuke" / "temp")));
        var tags = new HashSet<string>(StringComparer.Ordinal);
        async Task<ImagesManifest> BakeAsync()
        {
            var manifest = await baker.BakeAsync(ImageCatalog.Load(root, _ => null), ct);
            tags.UnionWith(manifest.Images.SelectMany(i => i.Tags));
            return manifest;
        }
        var points = new List<(double, double)>();
        try
        {
            Log.Information($"scale: baking the chain of {ChainLength} images (not measured)…");
            await BakeAsync();
            foreach (var (position, revision) in new[] { (10, 1), (7, 2), (4, 3), (1, 4) })
            {
                await File.WriteAllTextAsync(root / ImageCatalog.Folder / ChainImage(position) / "layer.txt",
                    $"link {position}, revision {revision}\n", ct);
                Log.Information($"scale: image {position} of {ChainLength} changed, baking…");
                var watch = Stopwatch.StartNew();
                var manifest = await BakeAsync();
                var elapsed = watch.Elapsed.TotalMilliseconds;
                var rebuilt = manifest.Images.Where(i => i.Status == ManifestImage.Built).Select(i => i.Name).Order().ToList();
                var expected = Enumerable.Range(position, ChainLength - position + 1).Select(ChainImage).ToList();
                if (!rebuilt.SequenceEqual(expected))
                    throw new PipelineException($"scale: changing image {position} rebuilt {string.Join(", ", rebuilt)}; "
                        + $"only {string.Join(", ", expected)} should have been");
                points.Add((expected.Count, elapsed));
            }
        }
        finally
        {
            foreach (var reference in tags) await docker.RemoveImageAsync(reference, true, CancellationToken.None);
            await docker.RemoveImageAsync(start, true, CancellationToken.None);
        }
        return new GrowthLaw($"Bake of a chain of {ChainLength} images when one changes", "images rebuilt",
            "only the changed image and its descendants are rebuilt, so the time is one image's build for each of them, plus the "
            + "constant of planning and hashing the whole chain", points);
    }
}
