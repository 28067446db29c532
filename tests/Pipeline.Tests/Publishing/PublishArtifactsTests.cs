using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Publishing;
using Pipeline.Tools.Registry;
using Xunit;

namespace Pipeline.Tests.Publishing;

public sealed class PublishArtifactsTests
{
    [Fact]
    public void Images_json_is_read_tolerantly_ignoring_unknown_fields()
    {
        var images = BuiltImages.Parse("""
            {"images":[{"name":"heartbeat","id":"sha256:abc","inputHash":"0123456789abcdef","tags":["heartbeat:0123456789ab"],
              "parents":["base"],"seconds":1.2,"status":"built","somethingNew":{"x":1}}],"generatedAt":"now"}
            """, "artifacts/images.json");

        images
            .Should()
            .ContainSingle()
            .Which.Should()
            .BeEquivalentTo(new BuiltImage("heartbeat", "sha256:abc", "0123456789abcdef", ["heartbeat:0123456789ab"]));
    }

    [Fact]
    public void An_image_without_an_id_is_reported_with_its_index() =>
        FluentActions.Invoking(() => BuiltImages.Parse("{\"images\":[{\"name\":\"x\",\"inputHash\":\"00\"}]}", "artifacts/images.json"))
            .Should().Throw<PipelineException>().WithMessage("artifacts/images.json: images[0] has no \"id\"*");

    [Fact]
    public void Published_json_has_the_contract_fields_and_round_trips()
    {
        var manifest = new PublishedManifest(
            "local",
            [
                new PublishedImage(
                    "heartbeat",
                    "0123",
                    "local",
                    "127.0.0.1:21500/pipeline/heartbeat",
                    "sha256:d",
                    ["h0123"],
                    "127.0.0.1:21500/pipeline/heartbeat@sha256:d"
                )
                {
                    Status = "pushed",
                },
            ]
        );

        var json = manifest.ToJson();

        json.Should().Contain("\"environment\": \"local\"").And.Contain("\"reference\": \"127.0.0.1:21500/pipeline/heartbeat@sha256:d\"")
            .And.Contain("\"registry\": \"local\"").And.NotContain("archive");
        PublishedManifest.Parse(json, "x").Images.Single().Digest.Should().Be("sha256:d");
    }

    [Fact]
    public void An_authentication_failure_names_the_registry_and_the_secret_parameter_on_one_line()
    {
        var registry = new RegistryDefinition(
            "local",
            new RegistryEndpoint("127.0.0.1:21500", false),
            "pipeline",
            null,
            "RegistryPassword",
            "environments/local.yml: registries/local"
        );

        var message = PublishFailures.Authentication(registry, "401 Unauthorized").Message;

        message
            .Should()
            .Be(
                "Registry 127.0.0.1:21500 (environments/local.yml: registries/local) refused the credentials (401 Unauthorized): "
                    + "set the secret parameter RegistryPassword (--registry-password or REGISTRY_PASSWORD)."
            );
    }

    [Fact]
    public void Layer_progress_counts_pushed_and_existing_layers()
    {
        var progress = new LayerProgress();
        progress.Apply("aaa", "Preparing", 0, 0);
        progress.Apply("bbb", "Layer already exists", 0, 0);
        progress.Apply("aaa", "Pushing", 512, 2048);
        progress.Bars(8)[0].Should().StartWith("aaa          [##------]  25% 512 B/2.0 kB Pushing");
        progress.Apply("aaa", "Pushed", 0, 0);
        progress.Apply("h0123: digest: sha256:x size: 1", "ignored", 0, 0).Should().BeFalse();

        progress.Summary("heartbeat").Should().Be("heartbeat: 2/2 layers done (1 already there), 2.0 kB sent");
    }

    [Fact]
    public void Promote_retags_in_place_mounts_within_a_registry_and_copies_between_registries()
    {
        RegistryDefinition R(string address, string ns) => new("r", new RegistryEndpoint(address), ns, null, null, "x");
        PromotePlanner.Mode(R("a.test", "p"), "p/x", R("a.test", "p"), "p/x").Should().Be(PromoteMode.Retag);
        PromotePlanner.Mode(R("a.test", "p"), "p/x", R("a.test", "q"), "q/x").Should().Be(PromoteMode.Mount);
        PromotePlanner.Mode(R("a.test", "p"), "p/x", R("b.test", "p"), "p/x").Should().Be(PromoteMode.Copy);
        PromotePlanner.RepositoryPath("127.0.0.1:21500/pipeline/x", "127.0.0.1:21500").Should().Be("pipeline/x");
        PromotePlanner.Tags(["h1", "v"], "stable").Should().Equal("h1", "v", "stable");
    }
}
