using Pipeline.IntegrationTests.CI;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>
/// One Compute Engine request as the fake parsed it: method, path under /compute/v1, and the body in canonical form
/// (keys sorted, numbers as strings — Google's JSON takes int64 either way —, empty maps and lists dropped).
/// </summary>
public sealed record GcpCall(string Method, string Path, string Body, bool Accepted)
{
    public string Key => $"{Method} {Path} {Body}";
}

/// <summary>
/// A LOCAL FAKE of the Compute Engine v1 REST API on 127.0.0.1: one project, one zonal managed instance group, its
/// instance templates, zonal and global Operations (RUNNING when a mutating call answers, DONE at operations.wait),
/// the group's managed instances and their addresses. Bearer token "test-token" only. Requests Compute Engine would
/// refuse (an instance template without a boot disk from an image, a network interface or a machine type; a wrong
/// updatePolicy enum; a template that does not exist) are refused with Google's error shape. A patched version is
/// reached after one more poll, unless new templates never become stable or the patch operation is told to fail.
/// </summary>
public sealed partial class GcpCloudFake : IDisposable
{
    public enum Rollouts { Stabilise, NeverStable, PatchOperationFails }

    public const string Project = "pipeline-test", Zone = "europe-west1-b", Manager = "heartbeat-edge", Token = "test-token";
    private const string Api = "https://www.googleapis.com/compute/v1";
    private readonly LocalHttpServer _server;
    private readonly Rollouts _behaviour;
    private readonly string _project;
    private readonly string _original;
    private readonly Dictionary<string, JsonObject> _operations = [];
    private readonly Lock _gate = new();
    private int _pollsSincePatch = 2, _nextOperation;

    /// <param name="project">The project whose paths it answers (production.yml's pipeline-prod in the local runner).</param>
    /// <param name="anyHost">Answer under any Host: the local runner reaches it as compute.googleapis.com.</param>
    public GcpCloudFake(
        Rollouts behaviour,
        string initialTemplate = "heartbeat-edge-000000000000",
        int targetSize = 3,
        string project = Project,
        bool anyHost = false
    )
    {
        (_behaviour, _project) = (behaviour, project);
        _original = initialTemplate;
        Templates[initialTemplate] = new JsonObject
        {
            ["name"] = initialTemplate,
            ["properties"] = new JsonObject { ["machineType"] = "e2-small" },
        };
        (TemplateName, TargetSize) = (initialTemplate, targetSize);
        _server = new LocalHttpServer(Handle, anyHost);
        Endpoint = _server.Url;
    }

    public string Endpoint { get; }
    public List<GcpCall> Calls { get; } = [];
    public Dictionary<string, JsonObject> Templates { get; } = [];
    public string TemplateName { get; private set; }
    public int TargetSize { get; private set; }

    private (int Status, string Body) Handle(RecordedRequest request)
    {
        JsonNode? body = null;
        try { body = request.Body.Length > 0 ? JsonNode.Parse(request.Body) : null; }
        catch (System.Text.Json.JsonException) { return Error(400, "invalid", "Invalid JSON payload received."); }
        var prefix = $"/compute/v1/projects/{_project}";
        var path = request.Path.StartsWith(prefix, StringComparison.Ordinal) ? request.Path[prefix.Length..] : request.Path;
        lock (_gate)
        {
            var answer =
                request.Headers.GetValueOrDefault("Authorization") != $"Bearer {Token}"
                    ? Error(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token.")
                : !request.Path.StartsWith(prefix, StringComparison.Ordinal)
                    ? Error(404, "notFound", $"The resource '{request.Path}' was not found")
                : Answer(request.Method, path, body);
            Calls.Add(
                new(request.Method, path, Canonical(body) is JsonObject { Count: > 0 } c ? c.ToJsonString() : "", answer.Status < 300)
            );
            return answer;
        }
    }

    private (int Status, string Body) Answer(string method, string path, JsonNode? body)
    {
        var managerPath = $"/zones/{Zone}/instanceGroupManagers/{Manager}";
        switch (method, path)
        {
            case ("GET", _) when path == managerPath:
                _pollsSincePatch++;
                var reached = _pollsSincePatch > 1 && (_behaviour != Rollouts.NeverStable || TemplateName == _original);
                return (200, new JsonObject
                {
                    ["kind"] = "compute#instanceGroupManager",
                    ["id"] = "4567890123456789012",
                    ["name"] = Manager,
                    ["zone"] = $"{Api}/projects/{_project}/zones/{Zone}",
                    ["baseInstanceName"] = Manager,
                    ["instanceTemplate"] = TemplateUrl(TemplateName),
                    ["targetSize"] = TargetSize,
                    ["versions"] = new JsonArray(new JsonObject { ["instanceTemplate"] = TemplateUrl(TemplateName) }),
                    ["status"] = new JsonObject { ["isStable"] = reached, ["versionTarget"] = new JsonObject { ["isReached"] = reached } },
                    ["selfLink"] = $"{Api}/projects/{_project}{managerPath}",
                }.ToJsonString());
            case ("PATCH", _) when path == managerPath:
                if (GcpShapes.CheckPatch(body, Templates.Keys) is { } bad) return Error(400, "invalid", bad);
                var operation = Operation("patch", $"{Api}/projects/{_project}{managerPath}", zonal: true);
                if (
                    _behaviour == Rollouts.PatchOperationFails
                    && body?["versions"]?[0]?["instanceTemplate"]?.GetValue<string>().Split('/')[^1] != _original
                )
                    _operations[operation["name"]!.GetValue<string>()]["pendingError"] = new JsonObject
                    {
                        ["errors"] = new JsonArray(
                            new JsonObject
                            {
                                ["code"] = "RESOURCE_NOT_READY",
                                ["message"] = "The resource 'heartbeat-edge' is not ready: an update of the group is already in progress",
                            }
                        ),
                    };
                else
                {
                    if (body?["versions"]?[0]?["instanceTemplate"]?.GetValue<string>() is { } t)
                        TemplateName = t.Split('/')[^1];
                    if (body?["targetSize"] is { } size)
                        TargetSize = int.Parse(size.ToString(), System.Globalization.CultureInfo.InvariantCulture);
                    _pollsSincePatch = 0;
                }
                return (200, operation.ToJsonString());
            case ("POST", $"/global/instanceTemplates"):
                if (GcpShapes.CheckTemplate(body) is { } invalid) return Error(400, "invalid", invalid);
                var name = body!["name"]!.GetValue<string>();
                if (Templates.ContainsKey(name))
                    return Error(409, "alreadyExists",
                        $"The resource 'projects/{_project}/global/instanceTemplates/{name}' already exists");
                Templates[name] = body.DeepClone().AsObject();
                Templates[name]["selfLink"] = TemplateUrl(name);
                return (200, Operation("insert", TemplateUrl(name), zonal: false).ToJsonString());
            case ("GET", _) when TemplatePath().Match(path) is { Success: true } t:
                return Templates.TryGetValue(t.Groups[1].Value, out var template)
                    ? (200, template.ToJsonString())
                    : Error(
                        404,
                        "notFound",
                        $"The resource 'projects/{_project}/global/instanceTemplates/{t.Groups[1].Value}' was not found"
                    );
            case ("POST", _) when OperationWait().Match(path) is { Success: true } w:
                if (!_operations.TryGetValue(w.Groups["name"].Value, out var op) || (w.Groups["zone"].Success != op.ContainsKey("zone")))
                    return Error(404, "notFound", $"The resource 'operation {w.Groups["name"].Value}' was not found");
                op["status"] = "DONE";
                op["progress"] = 100;
                if (op["pendingError"] is { } pending)
                {
                    op.Remove("pendingError");
                    op["error"] = pending;
                    op["httpErrorStatusCode"] = 400;
                    op["httpErrorMessage"] = "BAD REQUEST";
                }
                return (200, op.ToJsonString());
            case ("POST", _) when path == $"{managerPath}/listManagedInstances":
                return (200, new JsonObject
                {
                    ["managedInstances"] = new JsonArray(Enumerable.Range(1, TargetSize).Select(n => (JsonNode)new JsonObject
                    {
                        ["instance"] = $"{Api}/projects/{_project}/zones/{Zone}/instances/{Manager}-{n:x4}",
                        ["id"] = $"{1000 + n}",
                        ["instanceStatus"] = "RUNNING",
                        ["currentAction"] = "NONE",
                        ["version"] = new JsonObject { ["instanceTemplate"] = TemplateUrl(TemplateName) },
                    }).ToArray()),
                }.ToJsonString());
            case ("GET", _) when InstancePath().Match(path) is { Success: true } i:
                var slot = Convert.ToInt32(i.Groups["n"].Value, 16);
                return slot < 1 || slot > TargetSize
                    ? Error(404, "notFound", $"The resource 'instance {i.Groups[0].Value}' was not found")
                    : (
                        200,
                        new JsonObject
                        {
                            ["kind"] = "compute#instance",
                            ["name"] = $"{Manager}-{i.Groups["n"].Value}",
                            ["status"] = "RUNNING",
                            ["networkInterfaces"] = new JsonArray(
                                new JsonObject
                                {
                                    ["name"] = "nic0",
                                    ["network"] = $"{Api}/projects/{_project}/global/networks/default",
                                    ["networkIP"] = $"10.132.0.{slot + 10}",
                                }
                            ),
                        }.ToJsonString()
                    );
            default:
                return Error(404, "notFound", $"The resource '{method} {path}' was not found");
        }
    }

    private string TemplateUrl(string name) => $"{Api}/projects/{_project}/global/instanceTemplates/{name}";

    private JsonObject Operation(string type, string target, bool zonal)
    {
        var name = $"operation-{++_nextOperation}-{type}";
        var op = new JsonObject
        {
            ["kind"] = "compute#operation",
            ["id"] = $"{900 + _nextOperation}",
            ["name"] = name,
            ["operationType"] = type,
            ["targetLink"] = target,
            ["status"] = "RUNNING",
            ["progress"] = 0,
            ["insertTime"] = "2026-12-01T10:00:00.000-08:00",
            ["selfLink"] = zonal
                ? $"{Api}/projects/{_project}/zones/{Zone}/operations/{name}"
                : $"{Api}/projects/{_project}/global/operations/{name}",
        };
        if (zonal) op["zone"] = $"{Api}/projects/{_project}/zones/{Zone}";
        _operations[name] = op;
        var shown = op.DeepClone().AsObject();
        shown.Remove("pendingError");
        return shown;
    }

    /// <summary>Keys sorted, numbers as strings, empty maps and lists dropped.</summary>
    public static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => (p.Key, Value: Canonical(p.Value)))
            .Where(p => p.Value is not null and not JsonObject { Count: 0 } and not JsonArray { Count: 0 })
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Aggregate(new JsonObject(), (acc, p) =>
            {
                acc[p.Key] = p.Value;
                return acc;
            }),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        JsonValue v when v.TryGetValue<bool>(out var b) => JsonValue.Create(b),
        JsonValue v => JsonValue.Create(v.ToString()),
        _ => null,
    };

    private static (int Status, string Body) Error(int code, string reason, string message) =>
        (code, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = "global", ["reason"] = reason }),
            },
        }.ToJsonString());

    [GeneratedRegex("^/global/instanceTemplates/([a-z0-9-]+)$")]
    private static partial Regex TemplatePath();

    [GeneratedRegex("^(/zones/(?<zone>[a-z0-9-]+))?(/global)?/operations/(?<name>[a-z0-9-]+)/wait$")]
    private static partial Regex OperationWait();

    [GeneratedRegex("^/zones/[a-z0-9-]+/instances/heartbeat-edge-(?<n>[0-9a-f]{4})$")]
    private static partial Regex InstancePath();

    public void Dispose() => _server.Dispose();
}
