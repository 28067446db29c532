using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>
/// One name Pipeline keeps in the zone: the record sets it should hold (A and/or AAAA, or one CNAME) and its ownership
/// marker (a TXT set at <c>_pipeline.&lt;name&gt;</c>).
/// </summary>
public sealed record ManagedName(string Name, IReadOnlyList<DnsRecordSet> Records, DnsRecordSet Marker)
{
    /// <summary>The types a managed name may hold; any of them there without our marker makes the name someone else's.</summary>
    public static IReadOnlyList<DnsRecordType> AddressTypes { get; } = [DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.CNAME];
}

/// <summary>What the zone holds now at one name: its sets of <see cref="ManagedName.AddressTypes"/> (empty ones left out) and
/// its marker set (possibly empty).</summary>
public sealed record ObservedName(string Name, IReadOnlyList<DnsRecordSet> Records, DnsRecordSet Marker)
{
    public DnsRecordSet Of(DnsRecordType type) =>
        Records.FirstOrDefault(r => r.Type == type) ?? DnsRecordSet.Of(Name, type, 0, []);
}
