using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Deploying.Outputs;

/// <summary>Prometheus <c>file_sd_configs</c> JSON of a group's running members (written atomically: temp file, rename).</summary>
public static class FileSd
{
    public static string Render(GroupDefinition group, IReadOnlyList<ObservedInstance> instances) =>
        Render(group.Environment, group.Name, instances.Where(i => i.Running).OrderBy(i => i.Slot).Select(i => i.Address).ToList());

    /// <summary>One target group: the members' <c>host:port</c>, labelled with the environment, the group and its job.</summary>
    public static string Render(string environment, string group, IReadOnlyList<string> targets) =>
        new JsonArray(
            new JsonObject
            {
                ["targets"] = new JsonArray([.. targets.Select(t => (JsonNode)t)]),
                ["labels"] = new JsonObject { ["env"] = environment, ["group"] = group, ["job"] = $"{environment}-{group}" },
            }
        ).ToJsonString(Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string path, string json) => Engine.MaskedFile.WriteAtomically(path, json);
}
