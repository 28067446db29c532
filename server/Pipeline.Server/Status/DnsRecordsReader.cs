using System.Text.Json;

namespace Pipeline.Server.Status;

/// <summary>
/// The records the Dns step last applied (<c>artifacts/dns/&lt;env&gt;.records.json</c>, written by the build's DnsRecordsFile),
/// each with the listed instances whose host its values name.
/// </summary>
public static class DnsRecordsReader
{
    public static IReadOnlyList<DnsRecordView> Read(string root, string environment, IReadOnlyList<InstanceView> instances)
    {
        var path = Path.Combine(root, "artifacts", "dns", $"{environment}.records.json");
        if (!File.Exists(path)) return [];
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("records", out var records)) return [];
        return [.. records.EnumerateArray().Select(r =>
        {
            var values = r.TryGetProperty("values", out var v) ? v.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
            var pointsAt = instances.Where(i => values.Contains(Host(i.Address))).Select(i => $"{i.Group} {i.Name ?? i.Address}").ToList();
            return new DnsRecordView(Text(r, "name"), Text(r, "type"), r.TryGetProperty("ttl", out var t) ? t.GetInt32() : 0, values,
                pointsAt);
        })];
    }

    private static string Host(string address) =>
        address.StartsWith('[') ? address[1..address.IndexOf(']')] : address.LastIndexOf(':') is var c and > 0 ? address[..c] : address;

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";
}
