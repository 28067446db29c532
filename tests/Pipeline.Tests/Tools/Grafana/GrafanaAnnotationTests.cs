using FluentAssertions;
using Pipeline.Tools.Grafana;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipeline.Tests.Tools.Grafana;

public sealed class GrafanaAnnotationTests
{
    private static readonly DateTimeOffset Start =
        DateTimeOffset.Parse("2026-12-06T18:00:00.250Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_body_is_a_region_in_epoch_milliseconds_with_tags_text_and_the_dashboard_uid()
    {
        var body = new GrafanaAnnotation(Start, Start.AddSeconds(42.5), ["pipeline", "deploy", "staging", "web"], "web a → b (succeeded)",
            "deploys-01").ToJson();

        JsonNode.DeepEquals(body, JsonNode.Parse("""
            {"time":1796580000250,"timeEnd":1796580042750,"tags":["pipeline","deploy","staging","web"],
             "text":"web a → b (succeeded)","dashboardUID":"deploys-01"}
            """)).Should().BeTrue(body.ToJsonString());
    }

    [Fact]
    public void Without_a_dashboard_uid_the_annotation_is_an_organization_one_and_the_key_is_left_out()
    {
        var body = new GrafanaAnnotation(Start, Start, ["pipeline"], "x").ToJson();

        body.Select(p => p.Key).Should().Equal("time", "timeEnd", "tags", "text");
        body["time"]!.GetValue<long>().Should().Be(body["timeEnd"]!.GetValue<long>());
    }
}
