using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>A zone as a DNS provider exposes it: read record sets, replace some atomically, and wait until every authoritative
/// server of the zone answers them.</summary>
public interface IDnsProvider
{
    string Zone { get; }

    Task<DnsRecordSet> ReadAsync(string name, DnsRecordType type, CancellationToken ct);

    /// <summary>Replaces each set (an empty one deletes it), all or nothing.</summary>
    Task ReplaceAsync(IReadOnlyList<DnsRecordSet> sets, CancellationToken ct);

    /// <summary>Returns when every authoritative server of the zone answers each set as given; fails naming the server and the
    /// record after <paramref name="timeout"/>.</summary>
    Task WaitServedAsync(IReadOnlyList<DnsRecordSet> sets, TimeSpan timeout, CancellationToken ct);
}
