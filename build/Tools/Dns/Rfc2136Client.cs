using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using ARSoft.Tools.Net.Dns.DynamicUpdate;
using Pipeline.Engine;
using System.Net;

namespace Pipeline.Tools.Dns;

/// <summary>
/// One authoritative server, through ARSoft.Tools.Net: queries (UDP, then TCP when truncated) and RFC 2136 dynamic updates
/// signed with a TSIG key. A refusal or an unsigned answer raises <see cref="PipelineException"/> naming the server and the
/// server's return code.
/// </summary>
public sealed class Rfc2136Client(DnsServer server, TsigKey? key = null)
{
    private readonly DnsClient _client = new(
        [IPAddress.Parse(server.Host)],
        [new UdpClientTransport(server.Port), new TcpClientTransport(server.Port)],
        true,
        5000
    );

    public DnsServer Server => server;

    /// <summary>The records of one name and type as the server answers them; an empty set when the name or type has none.</summary>
    public async Task<DnsRecordSet> QueryAsync(string name, DnsRecordType type, CancellationToken ct)
    {
        var answer = await _client.ResolveAsync(
            DomainName.Parse(name), Wire(type), RecordClass.INet, new DnsQueryOptions { IsRecursionDesired = false }, ct);
        if (answer is null) throw new PipelineException($"DNS server {server} does not answer (is it running and reachable?)");
        if (answer.ReturnCode is not (ReturnCode.NoError or ReturnCode.NxDomain))
            throw new PipelineException($"DNS server {server} answered {answer.ReturnCode} to {type} {name}");
        var records = answer.AnswerRecords
            .Where(r => r.RecordType == Wire(type) && DnsRecordSet.Normalize(r.Name.ToString()) == DnsRecordSet.Normalize(name))
            .ToList();
        return DnsRecordSet.Of(name, type, records.Count > 0 ? records.Min(r => r.TimeToLive) : 0, records.Select(Value));
    }

    /// <summary>Replaces whole RRsets in <paramref name="zone"/> in one signed update: each set in <paramref name="replace"/>
    /// loses its old values and gets its new ones (none: the set is deleted).</summary>
    public async Task UpdateAsync(string zone, IReadOnlyList<DnsRecordSet> replace, CancellationToken ct)
    {
        if (key is null) throw new PipelineException($"DNS update to {server}: no TSIG key (dynamic updates must be signed)");
        var message = new DnsUpdateMessage { ZoneName = DomainName.Parse(zone) };
        foreach (var set in replace)
        {
            message.Updates.Add(new DeleteAllRecordsUpdate(DomainName.Parse(set.Name), Wire(set.Type)));
            foreach (var value in set.Values) message.Updates.Add(new AddRecordUpdate(Record(set, value)));
        }
        message.TSigOptions = key.Sign(message.TransactionID);
        var answer = await _client.SendUpdateAsync(message, ct)
            ?? throw new PipelineException($"DNS server {server} does not answer the update of zone {zone} (is it running?)");
        if (answer.ReturnCode != ReturnCode.NoError)
            throw new PipelineException(
                $"DNS server {server} refused the update of zone {zone}: {answer.ReturnCode}"
                + (answer.ReturnCode is ReturnCode.NotAuthoritive or ReturnCode.Refused
                    ? $" (check that key {key} may update {zone}: allow-update or update-policy)"
                    : "")
            );
    }

    private static DnsRecordBase Record(DnsRecordSet set, string value)
    {
        var name = DomainName.Parse(set.Name);
        return set.Type switch
        {
            DnsRecordType.A or DnsRecordType.AAAA => set.Type == DnsRecordType.A
                ? new ARecord(name, set.Ttl, IPAddress.Parse(value))
                : new AaaaRecord(name, set.Ttl, IPAddress.Parse(value)),
            DnsRecordType.CNAME => new CNameRecord(name, set.Ttl, DomainName.Parse(value)),
            _ => new TxtRecord(name, set.Ttl, value),
        };
    }

    private static string Value(DnsRecordBase record) => record switch
    {
        ARecord a => a.Address.ToString(),
        AaaaRecord aaaa => aaaa.Address.ToString(),
        CNameRecord cname => DnsRecordSet.Normalize(cname.CanonicalName.ToString()),
        TxtRecord txt => string.Concat(txt.TextParts),
        NsRecord ns => DnsRecordSet.Normalize(ns.NameServer.ToString()),
        _ => record.ToString(),
    };

    private static RecordType Wire(DnsRecordType type) => type switch
    {
        DnsRecordType.A => RecordType.A,
        DnsRecordType.AAAA => RecordType.Aaaa,
        DnsRecordType.CNAME => RecordType.CName,
        _ => RecordType.Txt,
    };

    /// <summary>The names of the zone's authoritative servers (its NS records).</summary>
    public async Task<IReadOnlyList<string>> NameServersAsync(string zone, CancellationToken ct)
    {
        var options = new DnsQueryOptions { IsRecursionDesired = false };
        var answer = await _client.ResolveAsync(DomainName.Parse(zone), RecordType.Ns, RecordClass.INet, options, ct)
            ?? throw new PipelineException($"DNS server {server} does not answer (is it running and reachable?)");
        return answer.AnswerRecords.OfType<NsRecord>().Select(ns => DnsRecordSet.Normalize(ns.NameServer.ToString())).ToList();
    }
}
