using Pipeline.Engine;
using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>
/// The rfc2136 provider: reads from and sends signed dynamic updates to the zone's primary (<see cref="Rfc2136Client"/>);
/// waits on every server the zone's NS records name, asked at the primary's port (53 in production; a test's BIND listens
/// on a high one), their addresses read from the primary (glue) or, outside the zone, from this machine's resolver.
/// </summary>
public sealed class Rfc2136Provider(string zone, Rfc2136ProviderDefinition definition, string? tsigSecret) : IDnsProvider
{
    private readonly Rfc2136Client _primary = new(
        definition.Server,
        tsigSecret is null ? null : new TsigKey(definition.KeyName, definition.Algorithm, Registered(tsigSecret))
    );

    public string Zone => zone;

    public Task<DnsRecordSet> ReadAsync(string name, DnsRecordType type, CancellationToken ct) => _primary.QueryAsync(name, type, ct);

    public Task ReplaceAsync(IReadOnlyList<DnsRecordSet> sets, CancellationToken ct) =>
        tsigSecret is null
            ? throw new PipelineException(
                $"DNS provider {definition.Name}: no TSIG secret for key {definition.KeyName} (set --dns-tsig-secret or DNS_TSIG_SECRET)"
            )
            : _primary.UpdateAsync(zone, sets, ct);

    public async Task WaitServedAsync(IReadOnlyList<DnsRecordSet> sets, TimeSpan timeout, CancellationToken ct)
    {
        var servers = await AuthoritativeServersAsync(ct);
        var deadline = DateTimeOffset.UtcNow + timeout;
        foreach (var server in servers)
        {
            var client = new Rfc2136Client(server);
            foreach (var set in sets)
            {
                while (true)
                {
                    var answer = await client.QueryAsync(set.Name, set.Type, ct);
                    if (answer.SameValues(set)) break;
                    if (DateTimeOffset.UtcNow > deadline)
                        throw new PipelineException(
                            $"DNS server {server} (an NS of {zone}) still answers {set.Type} {set.Name} with {answer.ValuesText}, not "
                            + $"{set.ValuesText}, after {timeout.TotalSeconds:0}s: check that it transfers {zone} from {definition.Server}"
                        );
                    await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
                }
            }
        }
        Log.Information($"DNS {zone}: every authoritative server ({string.Join(", ", servers)}) answers the new records");
    }

    private async Task<IReadOnlyList<DnsServer>> AuthoritativeServersAsync(CancellationToken ct)
    {
        var servers = new List<DnsServer>();
        foreach (var ns in await _primary.NameServersAsync(zone, ct))
        {
            var glue = await _primary.QueryAsync(ns, DnsRecordType.A, ct);
            var addresses = glue.Values.Count > 0
                ? glue.Values
                : (await System.Net.Dns.GetHostAddressesAsync(ns, ct)).Select(a => a.ToString()).ToList();
            servers.AddRange(addresses.Select(a => new DnsServer(a, definition.Server.Port)));
        }
        return servers.Count > 0 ? servers.Distinct().ToList() : [definition.Server];
    }

    private static string Registered(string secret)
    {
        Secrets.Register(secret);
        return secret;
    }
}
