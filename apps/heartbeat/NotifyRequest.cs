using System.Text.Json;
using System.Text.RegularExpressions;

namespace Heartbeat;

/// <summary>The body of <c>POST /notify</c>, modelled on a chat bot's message: text, channel, severity.</summary>
internal sealed partial record NotifyRequest(string Text, string Channel, string Severity)
{
    public const int MaxTextLength = 4000;
    private static readonly string[] Fields = ["text", "channel", "severity"];
    private static readonly string[] Severities = ["info", "warning", "critical"];

    /// <summary>Reads and validates a body; on bad input returns the reason, written for the caller.</summary>
    public static (NotifyRequest? Request, string? Reason) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return (null, "body: must be a JSON object like {\"text\": \"…\"}");

        foreach (var property in body.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
                return (null, $"{property.Name}: unknown field (expected {string.Join(", ", Fields)})");
            if (property.Value.ValueKind != JsonValueKind.String)
                return (null, $"{property.Name}: must be a string");
        }

        var text = StringOf(body, "text");
        var channel = StringOf(body, "channel") ?? "#general";
        var severity = StringOf(body, "severity") ?? "info";

        if (string.IsNullOrWhiteSpace(text)) return (null, "text: is required and must not be empty");
        if (text.Length > MaxTextLength) return (null, $"text: must be at most {MaxTextLength} characters (got {text.Length})");
        if (!ChannelPattern().IsMatch(channel))
            return (null, "channel: must look like #name (lower-case letters, digits, '-' or '_', up to 80)");
        if (!Severities.Contains(severity))
            return (null, $"severity: must be one of {string.Join(", ", Severities)} (got '{severity}')");
        return (new NotifyRequest(text, channel, severity), null);
    }

    private static string? StringOf(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) ? value.GetString() : null;

    [GeneratedRegex("^#[a-z0-9_-]{1,80}$")]
    private static partial Regex ChannelPattern();
}
