using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using System.Text.Json;

namespace Pipeline.Deploying.Outputs;

/// <summary>Prometheus <c>file_sd_configs</c> JSON of a group's running members (written atomically: temp file, rename).</summary>
public static class FileSd
{
    public static string Render(GroupDefinition group, IReadOnlyList<ObservedInstance> instances) =>
        JsonSerializer.Serialize(
            new[]
            {
                new
                {
                    targets = instances.Where(i => i.Running).OrderBy(i => i.Slot).Select(i => i.Address).ToArray(),
                    labels = new Dictionary<string, string>
                    {
                        ["env"] = group.Environment,
                        ["group"] = group.Name,
                        ["job"] = $"{group.Environment}-{group.Name}",
                    },
                },
            },
            new JsonSerializerOptions { WriteIndented = true }
        );

    public static void Write(string path, string json) => Engine.MaskedFile.WriteAtomically(path, json);
}
