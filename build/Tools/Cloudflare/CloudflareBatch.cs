using System.Text.Json.Nodes;

namespace Pipeline.Tools.Cloudflare;

/// <summary>A record to write in a batch: its name, type, content and TTL (1 is Cloudflare's "automatic").</summary>
public sealed record CloudflareWrite(string Name, string Type, string Content, int Ttl)
{
    public JsonObject Body() => new() { ["type"] = Type, ["name"] = Name, ["content"] = Content, ["ttl"] = Ttl };
}

/// <summary>
/// One call of <c>POST /zones/{id}/dns_records/batch</c>: Cloudflare runs it in one database transaction, in the order
/// deletes, patches, puts, posts, and applies none of it when one operation fails. Its edge still takes the records up
/// one by one, so the change is atomic where it is stored, not where it is served. Pipeline uses deletes, puts (a record
/// overwritten, its id kept) and posts.
/// </summary>
public sealed record CloudflareBatch(
    IReadOnlyList<CloudflareRecord> Deletes,
    IReadOnlyList<(CloudflareRecord Record, CloudflareWrite With)> Puts,
    IReadOnlyList<CloudflareWrite> Posts
)
{
    public static readonly CloudflareBatch Empty = new([], [], []);

    public bool IsEmpty => Deletes.Count == 0 && Puts.Count == 0 && Posts.Count == 0;

    public int Count => Deletes.Count + Puts.Count + Posts.Count;

    public CloudflareBatch Plus(CloudflareBatch other) =>
        new([.. Deletes, .. other.Deletes], [.. Puts, .. other.Puts], [.. Posts, .. other.Posts]);

    /// <summary>The request body; empty lists are left out, as the official library leaves them out.</summary>
    public JsonObject Body()
    {
        var body = new JsonObject();
        if (Deletes.Count > 0)
            body["deletes"] = new JsonArray([.. Deletes.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id })]);
        if (Puts.Count > 0)
            body["puts"] = new JsonArray([.. Puts.Select(p => (JsonNode)With(p.With.Body(), p.Record.Id))]);
        if (Posts.Count > 0)
            body["posts"] = new JsonArray([.. Posts.Select(p => (JsonNode)p.Body())]);
        return body;
    }

    private static JsonObject With(JsonObject body, string id)
    {
        body["id"] = id;
        return body;
    }
}
