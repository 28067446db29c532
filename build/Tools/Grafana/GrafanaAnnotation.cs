using System.Text.Json.Nodes;

namespace Pipeline.Tools.Grafana;

/// <summary>
/// One annotation as Grafana's HTTP API creates it (<c>POST /api/annotations</c>, the <c>PostAnnotationsCmd</c> of its
/// OpenAPI spec): a region from <paramref name="Time"/> to <paramref name="TimeEnd"/> (one instant when they are equal), its
/// tags and text, and the dashboard it belongs to (none: an organization annotation, shown where a dashboard asks for its tags).
/// </summary>
public sealed record GrafanaAnnotation(
    DateTimeOffset Time,
    DateTimeOffset TimeEnd,
    IReadOnlyList<string> Tags,
    string Text,
    string? DashboardUid = null
)
{
    /// <summary>The request body: <c>time</c> and <c>timeEnd</c> in epoch milliseconds, <c>tags</c>, <c>text</c>, and
    /// <c>dashboardUID</c> only when there is one.</summary>
    public JsonObject ToJson()
    {
        var body = new JsonObject
        {
            ["time"] = Time.ToUnixTimeMilliseconds(),
            ["timeEnd"] = TimeEnd.ToUnixTimeMilliseconds(),
            ["tags"] = new JsonArray(Tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["text"] = Text,
        };
        if (DashboardUid is not null) body["dashboardUID"] = DashboardUid;
        return body;
    }
}
