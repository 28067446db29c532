using Pipeline.IntegrationTests.CI;
using System.Text.Json.Nodes;

namespace Pipeline.IntegrationTests.Monitoring;

/// <summary>
/// A LOCAL FAKE of Grafana's annotations HTTP API on 127.0.0.1 (LocalHttpServer's ports, 24000–24999), as Grafana's OpenAPI
/// spec (grafana/grafana public/api-merged.json: <c>/annotations</c> get and post, <c>PostAnnotationsCmd</c>) and its HTTP API
/// docs (docs/sources/developers/http_api/annotations.md) describe it: <c>POST /api/annotations</c> takes a JSON body whose
/// <c>text</c> is required and whose <c>time</c>/<c>timeEnd</c> are epoch milliseconds (null or absent allowed, as
/// grafana-client sends them), and answers <c>{"message":"Annotation added","id":N}</c>; <c>GET /api/annotations</c> lists
/// them newest first, filtered by <c>from</c>, <c>to</c>, repeated <c>tags</c> (all must match), <c>dashboardUID</c> and
/// <c>limit</c>. Anything without <c>Authorization: Bearer &lt;Token&gt;</c> gets 401 <c>{"message":"Unauthorized"}</c>.
/// </summary>
public sealed class FakeGrafanaApi : IDisposable
{
    public const string Token = "glsa_fake-grafana-token-for-tests";
    private readonly LocalHttpServer _server;
    private readonly List<JsonObject> _annotations = [];
    private readonly Lock _gate = new();

    public FakeGrafanaApi() => _server = new LocalHttpServer(Handle);

    public Uri Url => new(_server.Url);

    /// <summary>Every request, accepted or not (the tests check no token ever travels but in the header).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _server.Requests.ToList();

    /// <summary>The stored annotations, oldest first, as GET returns them.</summary>
    public IReadOnlyList<JsonObject> Annotations()
    {
        lock (_gate) return _annotations.Select(a => (JsonObject)a.DeepClone()).ToList();
    }

    private (int, string) Handle(RecordedRequest request)
    {
        if (request.Headers.GetValueOrDefault("Authorization") != $"Bearer {Token}") return Message(401, "Unauthorized");
        return (request.Method, request.Path.TrimEnd('/')) switch
        {
            ("POST", "/api/annotations") => Create(request.Body),
            ("GET", "/api/annotations") => Find(request.Query),
            (_, "/api/annotations") => Message(405, "Method Not Allowed"),
            _ => Message(404, "Not found"),
        };
    }

    private (int, string) Create(string text)
    {
        JsonObject? body;
        try { body = JsonNode.Parse(text) as JsonObject; }
        catch (System.Text.Json.JsonException) { body = null; }
        if (body is null) return Message(400, "bad request data");
        if (body["text"] is not JsonValue t || t.GetValueKind() != System.Text.Json.JsonValueKind.String || t.GetValue<string>() == "")
            return Message(400, "Failed to save annotation");
        long? Millis(string key) => body[key] is JsonValue v && v.TryGetValue<long>(out var ms) ? ms : null;
        if (body["time"] is JsonValue and not null && Millis("time") is null || body["timeEnd"] is JsonValue && Millis("timeEnd") is null)
            return Message(400, "bad request data");
        var tags = body["tags"] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
        var time = Millis("time") ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            var id = _annotations.Count + 1;
            _annotations.Add(new JsonObject
            {
                ["id"] = id,
                ["alertId"] = 0,
                ["dashboardId"] = 0,
                ["dashboardUID"] = body["dashboardUID"]?.GetValue<string>() ?? "",
                ["panelId"] = Millis("panelId") ?? 0,
                ["userId"] = 1,
                ["userName"] = "",
                ["newState"] = "",
                ["prevState"] = "",
                ["time"] = time,
                ["timeEnd"] = Millis("timeEnd") ?? time,
                ["text"] = t.GetValue<string>(),
                ["metric"] = "",
                ["tags"] = new JsonArray(tags.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
                ["data"] = new JsonObject(),
            });
            return (200, new JsonObject { ["message"] = "Annotation added", ["id"] = id }.ToJsonString());
        }
    }

    private (int, string) Find(string query)
    {
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Select(p => (Key: Uri.UnescapeDataString(p[0]), Value: p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : ""))
            .ToList();
        string? One(string key) => pairs.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();
        var tags = pairs.Where(p => p.Key == "tags").Select(p => p.Value).ToList();
        long? from = long.TryParse(One("from"), out var f) ? f : null, to = long.TryParse(One("to"), out var tt) ? tt : null;
        var limit = int.TryParse(One("limit"), out var l) ? l : 100;
        lock (_gate)
        {
            var found = _annotations.AsEnumerable().Reverse()
                .Where(a => tags.All(tag => a["tags"]!.AsArray().Any(x => x!.GetValue<string>() == tag)))
                .Where(a => One("dashboardUID") is not { } uid || a["dashboardUID"]!.GetValue<string>() == uid)
                .Where(a => from is null || a["timeEnd"]!.GetValue<long>() >= from)
                .Where(a => to is null || a["time"]!.GetValue<long>() <= to)
                .Take(limit)
                .Select(a => (JsonNode)a.DeepClone())
                .ToArray();
            return (200, new JsonArray(found).ToJsonString());
        }
    }

    private static (int, string) Message(int status, string message) =>
        (status, new JsonObject { ["message"] = message }.ToJsonString());

    public void Dispose() => _server.Dispose();
}
