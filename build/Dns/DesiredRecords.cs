using Pipeline.Engine;
using Pipeline.Tools.Dns;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Dns;

/// <summary>One member of a group in traffic, as file_sd lists it: its instance name and its <c>host:port</c>.</summary>
public sealed record DnsMember(string Instance, string Address)
{
    /// <summary>The host part of <c>host:port</c> (<c>[v6]:port</c> too).</summary>
    public string Host
    {
        get
        {
            var colon = Address.LastIndexOf(':');
            var host = colon > 0 && !Address.EndsWith(']') ? Address[..colon] : Address;
            return host.Trim('[', ']');
        }
    }
}

/// <summary>
/// The names a dns: section wants, from each group's real members (pure): the group's name → its load balancer's address, a
/// CNAME, or each distinct member host; with instances, <c>&lt;instance&gt;.&lt;zone&gt;</c> → the member's host. Hosts that are
/// addresses become A/AAAA records, a host name a CNAME.
/// </summary>
public static class DesiredRecords
{
    public static IReadOnlyList<ManagedName> For(DnsDefinition dns, IReadOnlyDictionary<string, IReadOnlyList<DnsMember>> members)
    {
        var names = new List<ManagedName>();
        foreach (var group in dns.Records)
        {
            var mine = members.TryGetValue(group.Group, out var m) ? m : [];
            var name = dns.Qualify(group.Name);
            var instances = group.Instances ? mine.Select(i => (Name: dns.Qualify(i.Instance), Hosts: new[] { i.Host })).ToList() : [];
            IReadOnlyList<DnsRecordSet> records = group switch
            {
                { Cname: { } cname } => [DnsRecordSet.Of(name, DnsRecordType.CNAME, dns.Ttl, [DnsRecordSet.Normalize(cname)])],
                { Address: { } address } => Point(dns, name, [address], group.Group),
                _ => Point(dns, name, mine.Select(i => i.Host).Distinct().ToList(), group.Group),
            };
            var marker = new List<string> { DnsOwnership.Marker(dns.Owner) };
            if (group.Instances) marker.Add(DnsOwnership.Index(instances.Select(i => i.Name)));
            names.Add(new ManagedName(name, records, Marker(dns, name, marker)));
            names.AddRange(instances.Select(i =>
                new ManagedName(i.Name, Point(dns, i.Name, i.Hosts, group.Group), Marker(dns, i.Name, [DnsOwnership.Marker(dns.Owner)]))));
        }
        return names;
    }

    /// <summary>One host's name (DynamicDns): <c>&lt;name&gt;.&lt;zone&gt;</c> → its address, with its marker.</summary>
    public static ManagedName Host(DnsDefinition dns, string name, string address)
    {
        var qualified = dns.Qualify(name);
        if (!IPAddress.TryParse(address, out _))
            throw new PipelineException(
                $"DynamicDns: '{address}' is not an IPv4 or IPv6 address (give --dynamic-address or --address-url)"
            );
        return new ManagedName(qualified, Point(dns, qualified, [address], name), Marker(dns, qualified, [DnsOwnership.Marker(dns.Owner)]));
    }

    public static DnsRecordSet Marker(DnsDefinition dns, string name, IEnumerable<string> values) =>
        DnsRecordSet.Of(DnsOwnership.MarkerName(name), DnsRecordType.TXT, dns.Ttl, values);

    private static IReadOnlyList<DnsRecordSet> Point(DnsDefinition dns, string name, IReadOnlyList<string> hosts, string group)
    {
        var addresses = hosts.Select(h => IPAddress.TryParse(h, out var ip) ? ip : null).ToList();
        if (addresses.All(a => a is not null))
            return new[] { (DnsRecordType.A, AddressFamily.InterNetwork), (DnsRecordType.AAAA, AddressFamily.InterNetworkV6) }
                .Select(t => DnsRecordSet.Of(name, t.Item1, dns.Ttl,
                    addresses.Where(a => a!.AddressFamily == t.Item2).Select(a => a!.ToString())))
                .Where(s => s.Values.Count > 0)
                .ToList();
        if (hosts.Count == 1) return [DnsRecordSet.Of(name, DnsRecordType.CNAME, dns.Ttl, [DnsRecordSet.Normalize(hosts[0])])];
        throw new PipelineException(
            $"dns/records/{group}: {name} would point at the host names {string.Join(", ", hosts)}; a name holds one CNAME, "
            + "so give the group's load balancer as address: or cname:"
        );
    }
}
