using System.Text.Json.Nodes;
using Pipeline.IntegrationTests.CI;

namespace Pipeline.IntegrationTests.Deploying;

/// <summary>
/// A LOCAL FAKE of the Compute Engine v1 REST API on 127.0.0.1 (GCP is unreachable here): one zonal managed instance
/// group; instanceTemplates.insert, instanceGroupManagers.get/patch with the documented JSON shapes. A patched version
/// is reached after one more poll, unless the fake is told new templates never become stable.
/// </summary>
public sealed class GcpComputeFake : IDisposable
{
    private readonly LocalHttpServer _server;
    private readonly bool _newTemplatesNeverStable;
    private string _template;
    private readonly string _original;
    private int _pollsSincePatch;

    public GcpComputeFake(string initialTemplate, bool newTemplatesNeverStable)
    {
        (_template, _original, _newTemplatesNeverStable) = (initialTemplate, initialTemplate, newTemplatesNeverStable);
        _server = new LocalHttpServer(Handle);
        Endpoint = _server.Url;
    }

    public string Endpoint { get; }
    public List<(string Method, string Path, JsonNode? Body)> Calls { get; } = [];
    public string Template => _template;

    private (int Status, string Body) Handle(RecordedRequest request)
    {
        var body = request.Body.Length > 0 ? JsonNode.Parse(request.Body) : null;
        lock (Calls) Calls.Add((request.Method, request.Path, body));
        return request.Headers.GetValueOrDefault("Authorization") != "Bearer test-token"
            ? (401, """{"error":{"code":401,"message":"Request had invalid authentication credentials."}}""")
            : Answer(request.Method, request.Path, body);
    }

    private (int, string) Answer(string method, string path, JsonNode? body)
    {
        if (method == "POST" && path.EndsWith("/global/instanceTemplates", StringComparison.Ordinal))
            return (200, $$"""{"kind":"compute#operation","name":"operation-1","operationType":"insert","targetLink":"{{body!["name"]}}","status":"DONE"}""");
        if (!path.Contains("/instanceGroupManagers/", StringComparison.Ordinal)) return (404, """{"error":{"code":404,"message":"Not found"}}""");
        if (method == "PATCH")
        {
            _template = body!["versions"]![0]!["instanceTemplate"]!.GetValue<string>();
            _pollsSincePatch = 0;
            return (200, """{"kind":"compute#operation","name":"operation-2","operationType":"patch","status":"RUNNING"}""");
        }
        _pollsSincePatch++;
        var reached = _pollsSincePatch > 1 && (!_newTemplatesNeverStable || _template == _original);
        var manager = new JsonObject
        {
            ["kind"] = "compute#instanceGroupManager",
            ["name"] = "heartbeat-edge",
            ["targetSize"] = 3,
            ["versions"] = new JsonArray(new JsonObject { ["instanceTemplate"] = _template, ["targetSize"] = new JsonObject { ["calculated"] = 3 } }),
            ["status"] = new JsonObject { ["isStable"] = reached, ["versionTarget"] = new JsonObject { ["isReached"] = reached } },
        };
        return (200, manager.ToJsonString());
    }

    public void Dispose() => _server.Dispose();
}
