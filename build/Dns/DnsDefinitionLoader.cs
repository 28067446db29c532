using Pipeline.Definitions;
using Pipeline.Tools.Dns;
using System.Net;
using System.Text.RegularExpressions;

[assembly: EnvironmentSection("dns", "Dns")]

namespace Pipeline.Dns;

/// <summary>Reads the <c>dns:</c> section of environments/&lt;env&gt;.yml into a validated <see cref="DnsDefinition"/>; errors
/// name the key path and line. <paramref name="groups"/> are the names of the environment's groups (records must name one).</summary>
public static partial class DnsDefinitionLoader
{
    public static DnsDefinition Load(DefinitionNode root, string environment, IReadOnlyCollection<string> groups)
    {
        var section = root.Required("dns", "add a dns: section with zone, provider, providers and records")
            .AllowOnly("zone", "ttl", "provider", "providers", "records");
        var zoneNode = section.Required("zone", "the zone Pipeline updates, e.g. staging.example.com");
        var zone = DnsRecordSet.Normalize(zoneNode.String());
        if (!DnsName().IsMatch(zone)) throw zoneNode.Error($"'{zone}' is not a DNS name (letters, digits, hyphens, dots)");
        var ttl = section.Optional("ttl")?.Int(1, 86400) ?? 60;

        var providersNode = section.Required(
            "providers", "a mapping of names to providers, e.g. bind: {type: rfc2136, server, key} or cf: {type: cloudflare}");
        var providers = providersNode.Entries()
            .ToDictionary(e => e.Key, e => DnsProviderLoader.Load(e.Key, e.Value), StringComparer.Ordinal);
        if (providers.Count == 0) throw providersNode.Error("name at least one provider");
        var providerNode = section.Optional("provider");
        var providerName = providerNode?.String() ?? (providers.Count == 1 ? providers.Keys.Single() : null)
            ?? throw section.Error("'provider' is missing (which of providers: writes the records)");
        if (!providers.TryGetValue(providerName, out var provider))
            throw (providerNode ?? section).Error(
                $"'{providerName}' is not one of providers: ({string.Join(", ", providers.Keys)})"
                + Engine.Suggestions.DidYouMean(providerName, providers.Keys)
            );

        var records = new List<DnsGroupRecords>();
        foreach (var (group, node) in section.Optional("records")?.Entries() ?? [])
        {
            if (!groups.Contains(group))
                throw node.Error(
                    $"'{group}' is not a group of groups: ({string.Join(", ", groups)}){Engine.Suggestions.DidYouMean(group, groups)}"
                );
            records.Add(Records(group, node));
        }
        var names = records.SelectMany(r => r.Instances ? [r.Name, $"{r.Group}-*"] : new[] { r.Name }).ToList();
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
            throw section.Required("records").Error("two groups' records have the same name; give each group its own name:");
        return new DnsDefinition(zone, ttl, environment, provider, providers, records);
    }

    private static DnsGroupRecords Records(string group, DefinitionNode node)
    {
        node.AllowOnly("name", "address", "cname", "instances");
        var nameNode = node.Optional("name");
        var name = nameNode?.String() ?? group;
        if (name != "@" && !DnsName().IsMatch(name.TrimEnd('.')))
            throw nameNode!.Error($"'{name}' is not a DNS name (relative to the zone, '@' for the apex)");
        var addressNode = node.Optional("address");
        if (addressNode is not null && !IPAddress.TryParse(addressNode.String(), out _))
            throw addressNode.Error($"'{addressNode.String()}' is not an IPv4 or IPv6 address (the group's load balancer's)");
        var cnameNode = node.Optional("cname");
        if (cnameNode is not null && addressNode is not null) throw cnameNode.Error("give either address or cname, not both");
        if (cnameNode is not null && !DnsName().IsMatch(cnameNode.String().TrimEnd('.')))
            throw cnameNode.Error($"'{cnameNode.String()}' is not a DNS name");
        return new DnsGroupRecords(group, name, addressNode?.String(), cnameNode?.String(), node.Optional("instances")?.Bool() ?? false);
    }

    [GeneratedRegex(@"^([a-zA-Z0-9_]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9_]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")]
    private static partial Regex DnsName();
}
