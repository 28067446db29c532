using FluentAssertions;
using Pipeline.Baking;
using Pipeline.Clustering;
using Pipeline.Engine;
using Pipeline.Tests.Baking;
using Xunit;

namespace Pipeline.Tests.Clustering;

public sealed class ComposeFileRendererTests
{
    private static readonly ImagesManifest Images = new(
        DateTimeOffset.UnixEpoch,
        [Image("heartbeat", "heartbeat:0123456789ab"), Image("haproxy", "haproxy:ba9876543210")]
    );

    private static ManifestImage Image(string name, string tag) =>
        new(name, "sha256:x", "h", [tag, $"{name}:latest"], [], "base", 0, ManifestImage.UpToDate, null);

    private static readonly Dictionary<string, string> Values = new()
    {
        ["CLUSTER_RUN"] = "r1",
        ["CLUSTER_OWNER"] = "1:2",
        ["CLUSTER_PASSWORD"] = "pw",
        ["CLUSTER_PROJECT"] = "p",
    };

    [Fact]
    public void The_repository_template_renders_with_content_addressed_tags_and_no_placeholder_left()
    {
        var template = File.ReadAllText(Path.Combine(ImageRepository.ProjectRoot(), "environments/virtual/compose.template.yml"));
        var names = ComposeFileRenderer.PortNames(template);
        names.Should().Equal("lb", "app1", "app2");

        var rendered = ComposeFileRenderer.Render(
            template,
            Images,
            names.Select((n, i) => (n, 26100 + i)).ToDictionary(p => p.n, p => p.Item2),
            Values,
            "compose.template.yml"
        );

        rendered.Should().Contain("image: heartbeat:0123456789ab").And.Contain("image: haproxy:ba9876543210")
            .And.Contain("127.0.0.1:26100:80").And.Contain("127.0.0.1:26102:8080").And.Contain("pipeline.cluster.run: \"r1\"")
            .And.NotContain(":latest");
        rendered.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Should().NotContain(l => l.Contains("${"));
    }

    [Fact]
    public void An_image_missing_from_images_json_names_what_it_has_and_how_to_bake()
    {
        var error = Assert.Throws<PipelineException>(() =>
            ComposeFileRenderer.Render("image: ${IMAGE_redis}", Images, new Dictionary<string, int>(), Values, "compose.template.yml")
        );
        error
            .Message.Should()
            .Be(
                "compose.template.yml: ${IMAGE_redis}: artifacts/images.json has no image 'redis' (it has heartbeat, haproxy; run "
                + "./build.sh Images)"
            );
    }

    [Fact]
    public void Unknown_run_values_are_an_error_and_other_dollar_text_is_left_alone()
    {
        Assert
            .Throws<PipelineException>(() =>
                ComposeFileRenderer.Render("x: ${CLUSTER_NOPE}", Images, new Dictionary<string, int>(), Values, "t")
            )
            .Message.Should()
            .Contain("${CLUSTER_NOPE} is not a value of the run");
        ComposeFileRenderer
            .Render("x: $HOME ${OTHER}", Images, new Dictionary<string, int>(), Values, "t")
            .Should()
            .Be("x: $HOME ${OTHER}");
    }
}
