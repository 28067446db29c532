using FluentAssertions;
using Pipeline.CI;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.CI;

/// <summary>Images reach later jobs by content: saved once, cached per input hash, loaded, never baked twice.</summary>
public class ImageHandoverWorkflowTests
{
    private static (Build Build, YamlMappingNode Jobs) Pipeline()
    {
        var build = WorkflowTestSupport.RealBuild();
        var yaml = build.RenderWorkflows().Single(f => f.FileName == "pipeline.yml").Content;
        return (build, WorkflowTestSupport.Jobs(WorkflowTestSupport.Parse(yaml)));
    }

    [Fact]
    public void The_images_job_restores_one_cache_per_image_keyed_by_its_input_hash_then_bakes_and_uploads_the_archives()
    {
        var (build, jobs) = Pipeline();
        var images = (YamlMappingNode)jobs["images"];
        var steps = WorkflowTestSupport.Steps(images).ToList();
        var names = Directory.GetDirectories(WorkflowTestSupport.RepositoryRoot() / "images").Select(Path.GetFileName)
            .Where(n => File.Exists(WorkflowTestSupport.RepositoryRoot() / "images" / n! / "image.yml")).ToList();
        names.Should().NotBeEmpty();

        var hashes = steps.FindIndex(s => WorkflowTestSupport.Get(s, "id") == WorkflowGenerator.HashesStep);
        WorkflowTestSupport.Get(steps[hashes], "run").Should().Be("./build.sh ImageHashes");
        var caches = steps
            .Where(s => WorkflowTestSupport.Get(s, "uses") == "actions/cache@v4" && s["with"]["key"].ToString().StartsWith("image-"))
            .ToList();
        caches
            .Select(c => c["with"]["key"].ToString())
            .Should()
            .BeEquivalentTo(names.Select(n => $"image-{n}-${{{{ steps.hashes.outputs.{n} }}}}"));
        foreach (var (cache, name) in caches.Zip(caches.Select(c => c["with"]["key"].ToString()["image-".Length..].Split("-${{")[0])))
            cache["with"]["path"].ToString().Should().Contain($"artifacts/ci-images/{name}-${{{{ steps.hashes.outputs.{name} }}}}.tar.gz");
        steps.IndexOf(caches[0]).Should().BeGreaterThan(hashes);

        var command = WorkflowTestSupport.Command(images);
        command
            .Should()
            .Be("./build.sh LoadImageArchives Images SaveImageArchives --skip", "load what the caches restored, bake the rest, save all");
        steps
            .IndexOf(steps.Single(s => WorkflowTestSupport.Get(s, "id") == WorkflowGenerator.TargetsStep))
            .Should()
            .BeGreaterThan(steps.IndexOf(caches[^1]));
        var upload = steps.Single(s => WorkflowTestSupport.Get(s, "name") == "Upload the images");
        upload["with"]["name"].ToString().Should().Be("images");
        upload["with"]["path"].ToString().Should().Be("artifacts/ci-images/");
    }

    [Fact]
    public void Jobs_that_use_the_images_download_and_load_them_and_no_other_job_bakes()
    {
        var (build, jobs) = Pipeline();
        foreach (var (key, node) in jobs.Children)
        {
            var id = key.ToString();
            var job = (YamlMappingNode)node;
            var command = WorkflowTestSupport.Command(job);
            var targets = WorkflowTestSupport.Targets(command);
            if (id != "images") targets.Should().NotContain("Images", $"{id} must not bake a second time");
            if (!targets.Contains("ClusterTest") && !targets.Contains("Publish")) continue;

            targets[0].Should().Be("LoadImageArchives", $"{id} loads the images before its targets");
            command.Should().Contain("--skip");
            var download = WorkflowTestSupport
                .Steps(job)
                .Single(s =>
                    WorkflowTestSupport.Get(s, "uses") == "actions/download-artifact@v4"
                    && s["with"].ToString().Contains("images")
                    && WorkflowTestSupport.Get((YamlMappingNode)s["with"], "name") == "images"
                );
            download["with"]["path"].ToString().Should().Be("artifacts/ci-images");
            WorkflowTestSupport.Needs(job).Should().NotBeEmpty();
        }
    }

    [Fact]
    public void The_artifacts_every_job_hands_on_leave_the_image_archives_out()
    {
        var (_, jobs) = Pipeline();
        foreach (var (key, node) in jobs.Children)
            foreach (
                var upload in WorkflowTestSupport
                    .Steps((YamlMappingNode)node)
                    .Where(s => WorkflowTestSupport.Get(s, "name") == "Upload artifacts")
            )
                upload["with"]["path"].ToString().Should().Be("artifacts/\n!artifacts/ci-images/\n", key.ToString());
    }
}
