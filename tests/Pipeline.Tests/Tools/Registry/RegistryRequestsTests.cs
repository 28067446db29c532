using FluentAssertions;
using Pipeline.Tools.Registry;
using Xunit;

namespace Pipeline.Tests.Tools.Registry;

public sealed class RegistryRequestsTests
{
    private const string Digest = "sha256:198c2ba09085d71de3bba7c01c3dc2b88c1bf0e1121bfdc1951dad48639d9c34";

    [Fact]
    public void Head_manifest_accepts_every_manifest_media_type()
    {
        var request = RegistryRequests.HeadManifest("pipeline/heartbeat", "h0123456789ab");

        request.Method.Should().Be(HttpMethod.Head);
        request.Path.Should().Be("v2/pipeline/heartbeat/manifests/h0123456789ab");
        request.Accept.Should().BeEquivalentTo(
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");
        request.Scopes.Should().Equal("repository:pipeline/heartbeat:pull");
    }

    [Fact]
    public void A_mount_asks_for_push_on_the_destination_and_pull_on_the_source()
    {
        var request = RegistryRequests.MountBlob("promoted/heartbeat", Digest, "pipeline/heartbeat");

        request.Method.Should().Be(HttpMethod.Post);
        request.Path.Should().Be($"v2/promoted/heartbeat/blobs/uploads/?mount=sha256%3A{Digest[7..]}&from=pipeline%2Fheartbeat");
        request.Scopes.Should().Equal("repository:promoted/heartbeat:pull,push", "repository:pipeline/heartbeat:pull");
    }

    [Fact]
    public void Put_manifest_sends_the_manifest_media_type_and_needs_push()
    {
        var request = RegistryRequests.PutManifest("pipeline/heartbeat", "staging", ManifestMediaTypes.OciManifest);
        request.ContentType.Should().Be(ManifestMediaTypes.OciManifest);
        request.Scopes.Should().Equal("repository:pipeline/heartbeat:pull,push");
    }

    [Fact]
    public void Completing_an_upload_at_an_absolute_location_keeps_its_state_query()
    {
        var request = RegistryRequests.CompleteUpload(
            "pipeline/x",
            "http://127.0.0.1:21500/v2/pipeline/x/blobs/uploads/abc?_state=xyz",
            Digest
        );
        request.Path.Should().Be($"v2/pipeline/x/blobs/uploads/abc?_state=xyz&digest=sha256%3A{Digest[7..]}");
    }

    [Theory]
    [InlineData("Pipeline/Heartbeat")]
    [InlineData("pipeline//heartbeat")]
    [InlineData("-pipeline")]
    public void Invalid_repository_names_are_refused_before_anything_is_sent(string repository) =>
        FluentActions.Invoking(() => RegistryRequests.HeadManifest(repository, "latest")).Should().Throw<ArgumentException>();

    [Fact]
    public void A_reference_must_be_a_tag_or_a_digest() =>
        FluentActions.Invoking(() => RegistryRequests.GetManifest("a/b", "not a tag")).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData("1.4.0+gab12cd3", "1.4.0_gab12cd3")]
    [InlineData("feature/x", "feature_x")]
    [InlineData(".hidden", "_hidden")]
    public void Free_text_is_sanitised_into_a_valid_tag(string text, string tag)
    {
        ImageNames.SanitiseTag(text).Should().Be(tag);
        ImageNames.IsTag(tag).Should().BeTrue();
    }

    [Fact]
    public void Registry_error_bodies_become_one_readable_line()
    {
        RegistryErrors.Describe("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}")
            .Should().Be("UNAUTHORIZED: authentication required");
        RegistryErrors.Describe("<html>\nbad gateway").Should().Be("<html>");
    }

    [Fact]
    public void The_next_page_of_tags_comes_from_the_link_header()
    {
        RegistryClient.NextLink("</v2/a/tags/list?last=h1&n=1000>; rel=\"next\"").Should().Be("/v2/a/tags/list?last=h1&n=1000");
        RegistryClient.NextLink("").Should().BeNull();
    }

    [Theory]
    [InlineData("127.0.0.1:21500", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("10.0.0.5:5000", false)]
    [InlineData("ghcr.io", false)]
    public void Loopback_addresses_are_recognised(string address, bool loopback) =>
        new RegistryEndpoint(address).IsLoopback.Should().Be(loopback);
}
