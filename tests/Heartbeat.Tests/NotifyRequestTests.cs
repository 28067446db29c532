using FluentAssertions;
using System.Text.Json;
using Xunit;

namespace Heartbeat.Tests;

public class NotifyRequestTests
{
    private static (NotifyRequest? Request, string? Reason) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return NotifyRequest.Parse(document.RootElement);
    }

    [Fact]
    public void Accepts_text_alone_with_default_channel_and_severity()
    {
        Parse("""{"text":"deploy done"}""").Request.Should().Be(new NotifyRequest("deploy done", "#general", "info"));
    }

    [Fact]
    public void Accepts_all_fields()
    {
        Parse("""{"text":"disk full","channel":"#ops-alerts","severity":"critical"}""")
            .Request.Should().Be(new NotifyRequest("disk full", "#ops-alerts", "critical"));
    }

    [Theory]
    [InlineData("""[1]""", "body: must be a JSON object")]
    [InlineData("""{}""", "text: is required")]
    [InlineData("""{"text":"  "}""", "text: is required")]
    [InlineData("""{"text":5}""", "text: must be a string")]
    [InlineData("""{"text":"x","colour":"red"}""", "colour: unknown field")]
    [InlineData("""{"text":"x","channel":"ops"}""", "channel: must look like #name")]
    [InlineData("""{"text":"x","severity":"loud"}""", "severity: must be one of info, warning, critical (got 'loud')")]
    public void Rejects_bad_input_with_a_reason_naming_the_field(string json, string reason)
    {
        var (request, actual) = Parse(json);

        request.Should().BeNull();
        actual.Should().StartWith(reason);
    }

    [Fact]
    public void Rejects_text_over_the_limit()
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = new('x', NotifyRequest.MaxTextLength + 1) });

        Parse(json).Reason.Should().Be("text: must be at most 4000 characters (got 4001)");
    }
}
