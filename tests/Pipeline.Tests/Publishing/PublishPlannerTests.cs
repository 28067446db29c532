using FluentAssertions;
using Pipeline.Publishing;
using Xunit;

namespace Pipeline.Tests.Publishing;

public sealed class PublishPlannerTests
{
    private const string ImageId = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly string[] Tags = ["h0123456789ab", "1.4.0_gab12cd3", "ab12cd3"];

    [Fact]
    public void An_image_the_registry_does_not_have_is_pushed_under_its_hash_tag_then_tagged()
    {
        var plan = PublishPlanner.Plan(ImageId, Tags, DestinationState.Empty);
        plan.Action.Should().Be(PublishAction.Push);
        plan.CanonicalTag.Should().Be("h0123456789ab");
        plan.TagsToPut.Should().Equal("1.4.0_gab12cd3", "ab12cd3");
    }

    [Fact]
    public void An_image_present_under_every_tag_is_up_to_date()
    {
        var state = new DestinationState(
            Digest,
            ImageId,
            new Dictionary<string, string?> { ["1.4.0_gab12cd3"] = Digest, ["ab12cd3"] = Digest }
        );
        var plan = PublishPlanner.Plan(ImageId, Tags, state);
        plan.Action.Should().Be(PublishAction.UpToDate);
        plan.Digest.Should().Be(Digest);
        plan.TagsToPut.Should().BeEmpty();
    }

    [Fact]
    public void Missing_or_stale_tags_are_fixed_with_manifest_puts_and_nothing_is_pushed()
    {
        var state = new DestinationState(
            Digest,
            ImageId,
            new Dictionary<string, string?> { ["1.4.0_gab12cd3"] = "sha256:other", ["ab12cd3"] = null }
        );
        var plan = PublishPlanner.Plan(ImageId, Tags, state);
        plan.Action.Should().Be(PublishAction.Retag);
        plan.TagsToPut.Should().Equal("1.4.0_gab12cd3", "ab12cd3");
    }

    [Fact]
    public void A_hash_tag_holding_another_image_is_not_trusted()
    {
        var state = new DestinationState(Digest, "sha256:someone-else", new Dictionary<string, string?>());
        PublishPlanner.Plan(ImageId, Tags, state).Action.Should().Be(PublishAction.Push);
    }
}
