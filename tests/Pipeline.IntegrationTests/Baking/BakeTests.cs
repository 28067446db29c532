using FluentAssertions;
using Pipeline.Baking;
using Pipeline.Engine;
using Pipeline.IntegrationTests.Tools.Docker;
using Xunit;

namespace Pipeline.IntegrationTests.Baking;

/// <summary>Bakes small chains on the tiny busybox image (a registry-style base the engine already has) through the real engine.</summary>
[Collection(DockerCollection.Name)]
public sealed class BakeTests(DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private BakeRepository Chain() =>
        new BakeRepository()
            .Write("scripts/root.sh", "echo root > /root.txt\n")
            .Write("scripts/child.sh", "#!/bin/sh\necho \"child $GREETING\" > /child.txt\n")
            .Write("scripts/other.sh", "echo other > /other.txt\n")
            .Image("root", $"from: {docker.Busybox}\nprovisioners:\n  - shell: {{ script: scripts/root.sh }}\n{BakeRepository.TestLabels}")
            .Image(
                "child",
                $"from: root\nprovisioners:\n  - shell: {{ script: scripts/child.sh, env: {{ GREETING: hi }} }}\n  - env: {{ MODE: test "
                + $"}}\ncmd: [cat, /child.txt]\n{BakeRepository.TestLabels}"
            )
            .Image("grandchild", $"from: child\nprovisioners:\n  - workdir: /srv\n{BakeRepository.TestLabels}")
            .Image("other", $"from: root\nprovisioners:\n  - shell: {{ script: scripts/other.sh }}\n{BakeRepository.TestLabels}");

    [Fact]
    public async Task A_second_bake_sends_nothing_to_the_builder_and_a_changed_script_rebuilds_exactly_its_images_and_descendants()
    {
        using var repo = Chain();
        var baker = new Baker(docker.Client, repo.Options());

        var first = await baker.BakeAsync(repo.Load(), Ct);
        first
            .Images.Select(i => (i.Name, i.Status))
            .Should()
            .BeEquivalentTo(new[] { "root", "child", "grandchild", "other" }.Select(n => (n, ManifestImage.Built)));
        var child = first["child"];
        child.Tags.Should().Equal($"{repo.Prefix}child:{child.InputHash[..12]}", $"{repo.Prefix}child:latest");
        child.Parents.Should().Equal("root");
        first["grandchild"].Parents.Should().Equal("child", "root");
        (await docker.Client.InspectImageAsync($"{repo.Prefix}child:latest", Ct))!
            .Labels.Should()
            .Contain(ImageLabels.InputHash, child.InputHash);
        ImagesManifest.Read(Path.Combine(repo.Root, "artifacts", "images.json")).Images.Should().BeEquivalentTo(first.Images);

        var second = await baker.BakeAsync(repo.Load(), Ct);
        second.Images.Should().OnlyContain(i => i.Status == ManifestImage.UpToDate);
        second.Images.Select(i => i.ImageId).Should().Equal(first.Images.Select(i => i.ImageId));

        repo.Write("scripts/child.sh", "#!/bin/sh\necho \"child changed $GREETING\" > /child.txt\n");
        var third = await baker.BakeAsync(repo.Load(), Ct);
        third.Images.Where(i => i.Status == ManifestImage.Built).Select(i => i.Name).Should().BeEquivalentTo("child", "grandchild");
        third["root"].ImageId.Should().Be(first["root"].ImageId);
        third["other"].ImageId.Should().Be(first["other"].ImageId);
        third["child"].ImageId.Should().NotBe(first["child"].ImageId);

        var run = await docker.Client.RunContainerAsync(new Pipeline.Tools.Docker.ContainerSpec($"{repo.Prefix}grandchild:latest")
        {
            Labels = new Dictionary<string, string> { [DockerFixture.Label] = DockerFixture.RunId },
        }, Ct);
        (await docker.Client.WaitContainerAsync(run, Ct)).Should().Be(0);
        (await docker.Client.ContainerLogsAsync(run, null, Ct)).StandardOutput.Should().Be("child changed hi\n");
        await docker.Client.RemoveContainerAsync(run, Ct);
    }

    [Fact]
    public async Task A_failing_provisioner_is_named_with_its_last_output_lines_and_its_descendants_are_skipped()
    {
        using var repo = new BakeRepository()
            .Write("scripts/fail.sh", "echo preparing\necho something went wrong >&2\nexit 7\n")
            .Image(
                "broken",
                $"from: {docker.Busybox}\nprovisioners:\n  - env: {{ A: b }}\n  - shell: {{ script: scripts/fail.sh "
                + $"}}\n{BakeRepository.TestLabels}"
            )
            .Image("after", $"from: broken\n{BakeRepository.TestLabels}");
        var act = () => new Baker(docker.Client, repo.Options()).BakeAsync(repo.Load(), Ct);
        var error = (await act.Should().ThrowAsync<PipelineException>()).Which;
        error.Message.Should().StartWith("images/broken/image.yml: provisioners/1 (shell scripts/fail.sh): failed: ")
            .And.Contain("failed: exited with code 7")
            .And.Contain("  preparing").And.Contain("  something went wrong")
            .And.Contain("--keep-on-error");
        File.Exists(Path.Combine(repo.Root, "artifacts", "images.json")).Should().BeFalse();
    }

    [Fact]
    public async Task Keep_on_error_keeps_the_failing_container_as_an_image_to_enter()
    {
        using var repo = new BakeRepository().Image(
            "kept",
            $"from: {docker.Busybox}\nprovisioners:\n  - shell: {{ inline: [\"echo state > /state.txt\", \"false\"] "
            + $"}}\n{BakeRepository.TestLabels}"
        );
        var act = () => new Baker(docker.Client, repo.Options(keepOnError: true)).BakeAsync(repo.Load(), Ct);
        var error = (await act.Should().ThrowAsync<PipelineException>()).Which;
        error
            .Message.Should()
            .Contain("Kept the failing container")
            .And.Contain($"docker run -it --rm --entrypoint /bin/sh {repo.Prefix}kept-failed:");

        var kept = (await docker.Client.ListImagesAsync(null, [$"{repo.Prefix}kept-failed"], Ct)).Should().ContainSingle().Subject;
        var container = System
            .Text.RegularExpressions.Regex.Match(error.Message, "Kept the failing container ([0-9a-f]{12})")
            .Groups[1]
            .Value;
        try
        {
            var debug = await docker.Client.RunContainerAsync(
                new Pipeline.Tools.Docker.ContainerSpec(kept.Id)
                {
                    Cmd = ["cat", "/state.txt"],
                    Labels = new Dictionary<string, string> { [DockerFixture.Label] = DockerFixture.RunId },
                },
                Ct
            );
            await docker.Client.WaitContainerAsync(debug, Ct);
            (await docker.Client.ContainerLogsAsync(debug, null, Ct)).StandardOutput.Should().Be("state\n");
            await docker.Client.RemoveContainerAsync(debug, Ct);
        }
        finally
        {
            (await docker.Client.RemoveContainerAsync(container, Ct)).Should().BeTrue();
            await docker.Client.RemoveImageAsync(kept.Id, force: true, Ct);
        }
    }

    [Fact]
    public async Task A_saved_tar_and_extra_tags_follow_the_image()
    {
        using var repo = new BakeRepository().Image(
            "saved",
            $"from: {docker.Busybox}\nprovisioners:\n  - shell: {{ inline: [\"touch /x\"] }}\ntags: [saved:1, saved:stable]\nsave: "
            + $"true\n{BakeRepository.TestLabels}"
        );
        var baker = new Baker(docker.Client, repo.Options());
        var manifest = await baker.BakeAsync(repo.Load(), Ct);
        var image = manifest["saved"];
        image.Saved.Should().Be(Path.Combine("artifacts", "images", "saved.tar"));
        new FileInfo(Path.Combine(repo.Root, image.Saved!)).Length.Should().BeGreaterThan(1000);
        image.Tags.Should().Equal(image.HashTag, $"{repo.Prefix}saved:1", $"{repo.Prefix}saved:stable");

        await docker.Client.RemoveImageAsync($"{repo.Prefix}saved:stable", force: false, Ct);
        var again = await baker.BakeAsync(repo.Load(), Ct);
        again["saved"].Status.Should().Be(ManifestImage.UpToDate);
        (await docker.Client.InspectImageAsync($"{repo.Prefix}saved:stable", Ct))!.Id.Should().Be(image.ImageId);
    }
}
