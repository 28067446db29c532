using System.Text.Json.Nodes;

namespace Pipeline.Tools.Docker;

/// <summary>Requests of the network and volume endpoints, built without sending anything.</summary>
public static class NetworkRequests
{
    public static DockerRequest Create(string name, IReadOnlyDictionary<string, string>? labels = null, bool @internal = false)
    {
        var body = new JsonObject
        {
            ["Name"] = name,
            ["Driver"] = "bridge",
            ["CheckDuplicate"] = true,
            ["Internal"] = @internal,
            ["Labels"] = new JsonObject((labels ?? new Dictionary<string, string>()).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
        };
        return DockerRequest.Post("/networks/create", $"create network {name}") with { Json = body.ToJsonString() };
    }

    public static DockerRequest Remove(string idOrName) => DockerRequest.Delete($"/networks/{idOrName}", $"remove network {idOrName}");

    public static DockerRequest List(IReadOnlyList<string>? labels = null) =>
        DockerRequest.Get("/networks", "list networks").WithFilters(LabelFilter(labels));

    public static DockerRequest ListVolumes(IReadOnlyList<string>? labels = null) =>
        DockerRequest.Get("/volumes", "list volumes").WithFilters(LabelFilter(labels));

    public static DockerRequest RemoveVolume(string name, bool force = true) =>
        DockerRequest.Delete($"/volumes/{name}", $"remove volume {name}").With("force", force);

    private static Dictionary<string, IReadOnlyList<string>> LabelFilter(IReadOnlyList<string>? labels) =>
        labels is { Count: > 0 } ? new() { ["label"] = labels } : [];
}
