using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Publishing;
using Xunit;

namespace Pipeline.Tests.Publishing;

public sealed class TagPlannerTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void An_image_gets_its_hash_tag_first_then_the_sanitised_version_and_the_short_commit()
    {
        var version = SourceVersion.FromDescribe("v1.4.0-0-gab12cd3", "ab12cd3", 40, dirty: false);

        TagPlanner.Tags(Hash, version, channel: null).Should().Equal("h0123456789ab", "1.4.0_gab12cd3", "ab12cd3");
    }

    [Fact]
    public void A_channel_tag_is_added_only_when_asked() =>
        TagPlanner
            .Tags(Hash, SourceVersion.FromDescribe(null, "ab12cd3", 7, false), "staging")
            .Should()
            .Equal("h0123456789ab", "0.0.0-dev.7_gab12cd3", "ab12cd3", "staging");

    [Fact]
    public void A_dirty_tree_gets_no_commit_tags() =>
        TagPlanner.Tags(Hash, SourceVersion.FromDescribe(null, "ab12cd3", 7, dirty: true), null).Should().Equal("h0123456789ab");

    [Fact]
    public void An_invalid_channel_is_a_usage_error() =>
        FluentActions.Invoking(() => TagPlanner.Tags(Hash, SourceVersion.FromDescribe(null, "a", 1, false), "-bad tag"))
            .Should().Throw<UsageException>().WithMessage("--channel*");

    [Theory]
    [InlineData("v1.4.0-0-gab12cd3", "1.4.0+gab12cd3")]
    [InlineData("v1.4.0-3-gab12cd3", "1.4.0-dev.3+gab12cd3")]
    [InlineData("v2.0.0-rc.1-2-gab12cd3", "2.0.0-rc.1.dev.2+gab12cd3")]
    [InlineData(null, "0.0.0-dev.12+gab12cd3")]
    public void The_version_is_semver_with_the_commit_as_build_metadata(string? describe, string expected) =>
        SourceVersion.FromDescribe(describe, "ab12cd3", 12, false).SemVer.Should().Be(expected);
}
