using FluentAssertions;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Ssh;
using Pipeline.Publishing;
using Xunit;

namespace Pipeline.Tests.Deploying;

public class SavedImageTests
{
    [Fact]
    public async Task The_saved_tars_of_a_registry_less_publish_are_found_by_image_name()
    {
        var artifacts = Directory.CreateTempSubdirectory("test-saved-images-").FullName;
        var manifest = new PublishedManifest(
            "staging",
            [
                new PublishedImage("heartbeat", "h1", null, null, "sha256:aa", [], "sha256:aa")
                {
                    Archive = "artifacts/images/heartbeat-h1.tar",
                    ArchiveSha256 = "ff00",
                },
                new PublishedImage("other", "h2", null, null, "sha256:bb", [], "sha256:bb") { Archive = "artifacts/images/other-h2.tar" },
                new PublishedImage(
                    "heartbeat",
                    "h1",
                    "127.0.0.1:5000",
                    "pipeline/heartbeat",
                    "sha256:cc",
                    [],
                    "127.0.0.1:5000/pipeline/heartbeat@sha256:cc"
                ),
            ]
        );
        await manifest.WriteAsync(Path.Combine(artifacts, "published.json"), CancellationToken.None);

        new ImageResolver(new(artifacts))
            .SavedArchives("heartbeat")
            .Should()
            .Equal(new SavedImage("sha256:aa", "artifacts/images/heartbeat-h1.tar", "ff00"));
        Directory.Delete(artifacts, recursive: true);
    }

    [Fact]
    public void The_host_is_asked_for_the_image_before_a_tar_is_loaded_from_stdin()
    {
        SshDockerCommands.ImagePresent("sha256:aa").Should().Equal("docker", "image", "inspect", "--format", "{{.Id}}", "sha256:aa");
        SshDockerCommands.Load().Should().Equal("docker", "load", "-q");
    }
}
