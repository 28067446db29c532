using FluentAssertions;
using Pipeline.Baking;
using Pipeline.CI;
using Pipeline.Engine;
using Pipeline.IntegrationTests.Baking;
using Pipeline.IntegrationTests.Tools.Docker;
using Xunit;

namespace Pipeline.IntegrationTests.CI;

/// <summary>
/// How CI hands images between jobs, through the real engine: the archives SaveImageArchives writes, loaded into an
/// engine that lost the images (a fresh runner), make the next bake build nothing; a missing archive is one line.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ImageArchivesTests(DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private BakeRepository Chain() =>
        new BakeRepository()
            .Write("scripts/root.sh", "echo root > /root.txt\n")
            // A run-unique env makes these images this test's own: no other test's image is built on them, so they can be removed.
            .Image(
                "root",
                $"from: {docker.Busybox}\nprovisioners:\n  - shell: {{ script: scripts/root.sh }}\n  - env: {{ ARCHIVE_TEST_RUN: "
                + $"\"{Guid.NewGuid():N}\" }}\n{BakeRepository.TestLabels}"
            )
            .Image("child", $"from: root\nprovisioners:\n  - env: {{ MODE: test }}\n{BakeRepository.TestLabels}");

    /// <summary>As a fresh runner's engine: none of the baked images (children first, parents have dependants).</summary>
    private async Task ForgetAsync(ImagesManifest manifest)
    {
        foreach (var image in manifest.Images.Reverse())
            (await docker.Client.RemoveImageAsync(image.ImageId, force: true, Ct)).Should().BeTrue();
        foreach (var image in manifest.Images)
            (await docker.Client.InspectImageAsync(image.HashTag, Ct)).Should().BeNull();
    }

    [Fact]
    public async Task An_engine_that_loads_the_saved_archives_bakes_nothing_and_later_jobs_find_every_image()
    {
        using var repo = Chain();
        var baker = new Baker(docker.Client, repo.Options());
        var first = await baker.BakeAsync(repo.Load(), Ct);
        first.Images.Should().OnlyContain(i => i.Status == ManifestImage.Built);
        var layout = CiLayout.Of(new(repo.Root), new AbsolutePath(repo.Root) / "artifacts");
        var folder = layout.ImageArchives;
        var archives = new ImageArchives(docker.Client, layout);

        await archives.SaveAsync(first.Images, Ct);

        foreach (var image in first.Images)
        {
            var path = folder / ImageArchives.ArchiveName(image.Name, image.InputHash);
            (await ImageArchives.VerifiedAsync(path, Ct)).Should().BeTrue();
            File.ReadAllBytes(path)[..2].Should().Equal(new byte[] { 0x1f, 0x8b }, "the archive is gzip-compressed");
        }

        // The images job on a fresh runner whose per-image caches hit: load, then bake.
        await ForgetAsync(first);
        (await archives.LoadAsync(null, Ct)).Should().Be(2);
        var second = await baker.BakeAsync(repo.Load(), Ct);
        second.Images.Should().OnlyContain(i => i.Status == ManifestImage.UpToDate, "a cache hit bakes nothing");
        second.Images.Select(i => i.ImageId).Should().Equal(first.Images.Select(i => i.ImageId));

        // A later job (cluster test, publish): artifacts/images.json names what must be there.
        await ForgetAsync(first);
        (await archives.LoadAsync(second.Images, Ct)).Should().Be(2);
        foreach (var image in second.Images)
            (await docker.Client.InspectImageAsync(image.HashTag, Ct))!.Labels[ImageLabels.InputHash].Should().Be(image.InputHash);
        (await archives.LoadAsync(second.Images, Ct)).Should().Be(0, "images already in the engine are not loaded again");
    }

    [Fact]
    public async Task A_job_not_given_an_image_fails_with_one_line_naming_it_and_a_damaged_archive_is_refused()
    {
        using var repo = Chain();
        var baked = await new Baker(docker.Client, repo.Options()).BakeAsync(repo.Load(), Ct);
        var layout = CiLayout.Of(new(repo.Root), new AbsolutePath(repo.Root) / "artifacts");
        var folder = layout.ImageArchives;
        var archives = new ImageArchives(docker.Client, layout);
        await archives.SaveAsync(baked.Images, Ct);
        await ForgetAsync(baked);
        var child = folder / ImageArchives.ArchiveName("child", baked["child"].InputHash);

        File.Move(child, child + ".away");
        var missing = (await FluentActions.Awaiting(() => archives.LoadAsync(baked.Images, Ct)).Should().ThrowAsync<PipelineException>())
            .Which
            .Message;
        missing
            .Should()
            .NotContain("\n")
            .And.StartWith(
                $"Image 'child' (input hash {InputHash.Short(baked["child"].InputHash)}) is neither in the engine nor in "
                + $"artifacts/ci-images/"
            );

        File.Move(child + ".away", child);
        await using (var file = new FileStream(child, FileMode.Open)) { file.Position = 100; file.WriteByte(0); }
        var damaged = (await FluentActions.Awaiting(() => archives.LoadAsync(baked.Images, Ct)).Should().ThrowAsync<PipelineException>())
            .Which
            .Message;
        damaged.Should().Contain("does not match its .sha256");
    }
}
