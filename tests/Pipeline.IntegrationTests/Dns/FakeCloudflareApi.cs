using Pipeline.IntegrationTests.CI;
using System.Net;
using System.Text.Json.Nodes;

namespace Pipeline.IntegrationTests.Dns;

/// <summary>One request as the fake parsed it: method, path (under the API root), query and JSON body.</summary>
public sealed record CloudflareCall(string Method, string Path, SortedDictionary<string, string> Query, JsonObject? Body, bool Accepted)
{
    /// <summary>The kind of call, ids made generic: "PUT /zones/{id}/dns_records/{id}".</summary>
    public string Kind =>
        $"{Method} " + string.Join('/', Path.Split('/').Select((p, i) => i is 2 or 4 && p is { Length: > 0 } and not "batch" ? "{id}" : p));
}

/// <summary>
/// A LOCAL FAKE of Cloudflare's API v4 (zones and dns_records) on 127.0.0.1 for one zone, answering in Cloudflare's envelope
/// (<c>success</c>, <c>errors</c>, <c>messages</c>, <c>result</c>, <c>result_info</c>). It wants the Bearer token, a known
/// record type, a name inside the zone, content valid for the type, a TTL of 1 (automatic) or 60–86400, and refuses what
/// Cloudflare refuses: a CNAME beside other records of its name, and an identical record twice. A batch runs its deletes,
/// patches, puts and posts in that order and, as Cloudflare's one transaction does, keeps none of them when one fails.
/// </summary>
public sealed class FakeCloudflareApi : IDisposable
{
    public const string Token = "fake-cloudflare-token-for-tests";
    public const string ZoneId = "023e105f4ecef8ad9ca31a8372d0c353";
    private const string Root = "/client/v4";
    private static readonly string[] Types = ["A", "AAAA", "CNAME", "TXT"];
    private readonly LocalHttpServer _server;
    private readonly string _zone;
    private readonly Dictionary<string, JsonObject> _records = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _next;

    public FakeCloudflareApi(string zone)
    {
        _zone = zone;
        _server = new LocalHttpServer(Handle);
        Api = new Uri(_server.Url + Root);
    }

    public Uri Api { get; }
    public List<CloudflareCall> Calls { get; } = [];

    /// <summary>A record put there by someone else (no ownership marker).</summary>
    public void Seed(string name, string type, string content, int ttl = 300)
    {
        lock (_gate) Store(NewId(), name, type, content, ttl);
    }

    /// <summary>Every record as "TYPE name content ttl", sorted.</summary>
    public IReadOnlyList<string> Records()
    {
        lock (_gate)
            return _records.Values.Select(r => $"{r["type"]} {r["name"]} {r["content"]} {r["ttl"]}").Order(StringComparer.Ordinal).ToList();
    }

    private (int, string) Handle(RecordedRequest request)
    {
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in request.Query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
            query[Uri.UnescapeDataString(pair[0])] = pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "";
        var path = request.Path.StartsWith(Root, StringComparison.Ordinal) ? request.Path[Root.Length..] : request.Path;
        JsonObject? body = null;
        try { body = request.Body.Length > 0 ? JsonNode.Parse(request.Body) as JsonObject : null; }
        catch (System.Text.Json.JsonException) { }
        lock (_gate)
        {
            var (status, answer) = request.Headers.GetValueOrDefault("Authorization") != $"Bearer {Token}"
                ? Error(403, 10000, "Authentication error")
                : Route(request.Method, path, query, body);
            Calls.Add(new CloudflareCall(request.Method, path, query, body, status < 400));
            return (status, answer);
        }
    }

    private (int, string) Route(string method, string path, SortedDictionary<string, string> query, JsonObject? body)
    {
        var parts = path.Trim('/').Split('/');
        if (parts is ["zones"] && method == "GET")
        {
            var zones = query.GetValueOrDefault("name") is { } n && n != _zone ? new JsonArray() : new JsonArray(Zone());
            return Ok(zones, zones.Count);
        }
        if (parts.Length < 3 || parts[0] != "zones" || parts[2] != "dns_records") return Error(404, 7003, "Could not route to " + path);
        if (parts[1] != ZoneId) return Error(404, 7003, "Could not route to " + path + ", perhaps your object identifier is invalid?");
        return (method, parts.Length) switch
        {
            ("GET", 3) => List(query),
            ("POST", 3) => Write(null, body),
            ("POST", 4) when parts[3] == "batch" => Batch(body),
            ("PUT", 4) when _records.ContainsKey(parts[3]) => Write(parts[3], body),
            ("DELETE", 4) when _records.Remove(parts[3]) => Ok(new JsonObject { ["id"] = parts[3] }),
            (_, 4) => Error(404, 81044, "Record does not exist."),
            _ => Error(405, 10405, $"Method {method} not allowed for {path}"),
        };
    }

    private (int, string) Batch(JsonObject? body)
    {
        var before = _records.ToDictionary(r => r.Key, r => (JsonObject)r.Value.DeepClone(), StringComparer.Ordinal);
        var next = _next;
        var result = new JsonObject();
        (int, string)? failed = null;
        foreach (var kind in new[] { "deletes", "patches", "puts", "posts" })
        {
            var done = new JsonArray();
            foreach (var operation in body?[kind]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var id = operation["id"]?.GetValue<string>();
                var (status, answer) = kind switch
                {
                    "deletes" when id is not null && _records.Remove(id, out var gone) => Ok(gone),
                    "patches" when id is not null && _records.TryGetValue(id, out var old) => Write(id, Merged(old, operation)),
                    "puts" when id is not null && _records.ContainsKey(id) => Write(id, operation),
                    "posts" => Write(null, operation),
                    _ => Error(404, 81044, $"Record {id} does not exist."),
                };
                if (status >= 400) { failed ??= (status, answer); break; }
                done.Add(JsonNode.Parse(answer)!["result"]!.DeepClone());
            }
            if (failed is not null) break;
            if (done.Count > 0) result[kind] = done;
        }
        if (failed is not { } refused) return Ok(result);
        _records.Clear();
        foreach (var (id, record) in before) _records[id] = record;
        _next = next;
        return refused;
    }

    private static JsonObject Merged(JsonObject old, JsonObject patch)
    {
        var merged = (JsonObject)old.DeepClone();
        foreach (var (key, value) in patch) merged[key] = value?.DeepClone();
        return merged;
    }

    private (int, string) List(SortedDictionary<string, string> query)
    {
        var name = query.GetValueOrDefault("name.exact") ?? query.GetValueOrDefault("name");
        var type = query.GetValueOrDefault("type");
        var found = _records.Values
            .Where(r => name is null || string.Equals(r["name"]!.GetValue<string>(), name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
            .Where(r => type is null || r["type"]!.GetValue<string>() == type)
            .Select(r => (JsonNode)r.DeepClone())
            .ToArray();
        return Ok(new JsonArray(found), found.Length);
    }

    private (int, string) Write(string? id, JsonObject? body)
    {
        var type = body?["type"]?.GetValue<string>();
        var name = body?["name"]?.GetValue<string>()?.TrimEnd('.').ToLowerInvariant();
        var content = body?["content"]?.GetValue<string>();
        var ttl = body?["ttl"]?.GetValue<int>() ?? 1;
        if (type is null || !Types.Contains(type)) return Error(400, 9004, $"DNS record type \"{type}\" is invalid.");
        if (name is null || (name != _zone && !name.EndsWith("." + _zone, StringComparison.Ordinal)))
            return Error(400, 9007, $"DNS name {name} is not in zone {_zone}.");
        if (content is null || !Valid(type, content)) return Error(400, 9005, $"Content for {type} record is invalid.");
        if (ttl != 1 && ttl is < 60 or > 86400)
            return Error(400, 9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.");
        var others = _records.Where(r => r.Key != id && r.Value["name"]!.GetValue<string>() == name).Select(r => r.Value).ToList();
        if (others.Any(o => o["type"]!.GetValue<string>() == type && o["content"]!.GetValue<string>() == content))
            return Error(400, 81058, "An identical record already exists.");
        if (type == "CNAME" ? others.Count > 0 : others.Any(o => o["type"]!.GetValue<string>() == "CNAME"))
            return Error(400, 81053, "An A, AAAA, or CNAME record with that host already exists.");
        return Ok(Store(id ?? NewId(), name, type, content, ttl).DeepClone());
    }

    private static bool Valid(string type, string content) => type switch
    {
        "A" => IPAddress.TryParse(content, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork,
        "AAAA" => IPAddress.TryParse(content, out var b) && b.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "CNAME" => content.Length > 0 && !content.Contains(' '),
        _ => content.Length <= 2048,
    };

    private JsonObject Store(string id, string name, string type, string content, int ttl) => _records[id] = new JsonObject
    {
        ["id"] = id,
        ["zone_id"] = ZoneId,
        ["zone_name"] = _zone,
        ["name"] = name,
        ["type"] = type,
        ["content"] = content,
        ["proxiable"] = type != "TXT",
        ["proxied"] = false,
        ["ttl"] = ttl,
        ["settings"] = new JsonObject(),
        ["meta"] = new JsonObject(),
        ["comment"] = null,
        ["tags"] = new JsonArray(),
        ["created_on"] = "2026-12-01T10:00:00.000000Z",
        ["modified_on"] = "2026-12-01T10:00:00.000000Z",
    };

    private string NewId() => $"372e67954025e0ba6aaa6d586b9e{++_next:x4}";

    private JsonObject Zone() => new()
    {
        ["id"] = ZoneId,
        ["name"] = _zone,
        ["status"] = "active",
        ["paused"] = false,
        ["type"] = "full",
        ["name_servers"] = new JsonArray("ada.ns.cloudflare.com", "bob.ns.cloudflare.com"),
        ["created_on"] = "2026-01-01T05:20:00.12345Z",
        ["modified_on"] = "2026-01-01T05:20:00.12345Z",
    };

    private static (int, string) Ok(JsonNode result, int? count = null)
    {
        var envelope = new JsonObject
        {
            ["result"] = result,
            ["success"] = true,
            ["errors"] = new JsonArray(),
            ["messages"] = new JsonArray(),
        };
        if (count is { } c)
            envelope["result_info"] = new JsonObject
            {
                ["page"] = 1,
                ["per_page"] = 100,
                ["count"] = c,
                ["total_count"] = c,
                ["total_pages"] = 1,
            };
        return (200, envelope.ToJsonString());
    }

    private static (int, string) Error(int status, int code, string message) =>
        (status, new JsonObject
        {
            ["result"] = null,
            ["success"] = false,
            ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
            ["messages"] = new JsonArray(),
        }.ToJsonString());

    public void Dispose() => _server.Dispose();
}
