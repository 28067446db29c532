using Pipeline.Engine;
using Pipeline.Tools.Dns;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Dns;

/// <summary>
/// What the Dns step left in the zone, as <c>artifacts/dns/&lt;env&gt;.records.json</c>: the zone, when, and each managed name's
/// record sets (the wanted ones, applied and served). Readers such as the control plane's dashboard show it beside the instances
/// the values point at, without asking the DNS provider.
/// </summary>
public static class DnsRecordsFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathOf(string artifactsDirectory, string environment) =>
        Path.Combine(artifactsDirectory, "dns", $"{environment}.records.json");

    public static string Render(string zone, IReadOnlyList<ManagedName> names, DateTimeOffset at) =>
        new JsonObject
        {
            ["zone"] = zone,
            ["applied_at"] = at,
            ["records"] = new JsonArray([
                .. names.SelectMany(n => n.Records).Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Name,
                    ["type"] = r.Type.ToString(),
                    ["ttl"] = r.Ttl,
                    ["values"] = new JsonArray([.. r.Values.Select(v => (JsonNode)v)]),
                }),
            ]),
        }.ToJsonString(Json);

    public static void Write(string path, string zone, IReadOnlyList<ManagedName> names, DateTimeOffset at) =>
        MaskedFile.WriteAtomically(path, Render(zone, names, at));
}
