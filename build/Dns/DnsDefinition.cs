using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>
/// <c>dns/records/&lt;group&gt;</c>: the group's name in the zone (<paramref name="Name"/>.&lt;zone&gt;) points at its load balancer's
/// <paramref name="Address"/> (A or AAAA), or is a CNAME to <paramref name="Cname"/>, or, with neither, has an A/AAAA per distinct host
/// of the group's members; with <paramref name="Instances"/>, each member also gets <c>&lt;instance&gt;.&lt;zone&gt;</c> → its host.
/// </summary>
public sealed record DnsGroupRecords(string Group, string Name, string? Address, string? Cname, bool Instances);

/// <summary>The <c>dns:</c> section of an environment: the zone, the TTL of the records it manages, the provider that writes
/// them, and the records of each group.</summary>
/// <param name="Owner">Who owns the records Pipeline writes: the environment's name, in every ownership marker.</param>
public sealed record DnsDefinition(
    string Zone,
    int Ttl,
    string Owner,
    DnsProviderDefinition Provider,
    IReadOnlyDictionary<string, DnsProviderDefinition> Providers,
    IReadOnlyList<DnsGroupRecords> Records
)
{
    /// <summary>A name of the zone: <c>@</c> is the apex, a relative name gets the zone appended.</summary>
    public string Qualify(string name) =>
        name == "@" ? Zone : DnsRecordSet.Normalize(name.EndsWith('.') ? name : $"{name}.{Zone}");

    public override string ToString() => $"zone {Zone} through {Provider}";
}
