using Pipeline.Engine;
using Pipeline.Tools.Cloudflare;
using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>
/// The cloudflare provider: the zone's id looked up once by its name, a set read as the records of its name and type, and a
/// set replaced record by record (Cloudflare keeps one record per value): a value kept stays (updated for a new TTL), a value
/// gone becomes a new value where there is one (PUT), else is deleted; values left over are created. Emptied sets go first,
/// so that a name changing from A to CNAME never holds both. Not atomic across sets; a second run finishes a broken one.
/// Cloudflare serves a record once its API has it: waiting reads the sets back until the API answers them.
/// </summary>
public sealed class CloudflareProvider(string zone, CloudflareProviderDefinition definition, string? token, HttpClient http)
    : IDnsProvider
{
    private readonly CloudflareClient? _client = token is null ? null : new(http, definition.Api, Registered(token));
    private string? _zoneId;

    public string Zone => zone;

    public async Task<DnsRecordSet> ReadAsync(string name, DnsRecordType type, CancellationToken ct)
    {
        var records = await Client.ListAsync(await ZoneIdAsync(ct), name, type.ToString(), ct);
        return Set(name, type, records);
    }

    public async Task ReplaceAsync(IReadOnlyList<DnsRecordSet> sets, CancellationToken ct)
    {
        var zoneId = await ZoneIdAsync(ct);
        foreach (var set in sets.OrderBy(s => s.Values.Count > 0))
        {
            var current = await Client.ListAsync(zoneId, set.Name, set.Type.ToString(), ct);
            var kept = current.Where(r => set.Values.Contains(Value(r), StringComparer.Ordinal)).DistinctBy(Value).ToList();
            var gone = current.Except(kept).ToList();
            var added = set.Values.Where(v => kept.All(k => Value(k) != v)).ToList();
            foreach (var record in kept.Where(r => r.Ttl != set.Ttl))
                await Client.UpdateAsync(record, zoneId, record.Content, set.Ttl, ct);
            foreach (var (record, value) in gone.Zip(added))
                await Client.UpdateAsync(record, zoneId, value, set.Ttl, ct);
            foreach (var record in gone.Skip(added.Count)) await Client.DeleteAsync(zoneId, record, ct);
            foreach (var value in added.Skip(gone.Count))
                await Client.CreateAsync(zoneId, set.Name, set.Type.ToString(), value, set.Ttl, ct);
        }
    }

    public async Task WaitServedAsync(IReadOnlyList<DnsRecordSet> sets, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        foreach (var set in sets)
        {
            while (await ReadAsync(set.Name, set.Type, ct) is var answer && !answer.SameValues(set))
            {
                if (DateTimeOffset.UtcNow > deadline)
                    throw new PipelineException(
                        $"Cloudflare ({definition.Api}) still lists {set.Type} {set.Name} as {answer.ValuesText}, not {set.ValuesText}, "
                        + $"after {timeout.TotalSeconds:0}s"
                    );
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
        Log.Information($"DNS {zone}: Cloudflare answers the new records (it serves them from its edge at once)");
    }

    private CloudflareClient Client => _client ?? throw new PipelineException(
        $"DNS provider {definition.Name}: no Cloudflare API token (set --cloudflare-api-token or CLOUDFLARE_API_TOKEN)"
    );

    private async Task<string> ZoneIdAsync(CancellationToken ct) => _zoneId ??= await Client.ZoneIdAsync(zone, ct);

    private static string Value(CloudflareRecord r) => r.Value;

    private static DnsRecordSet Set(string name, DnsRecordType type, IReadOnlyList<CloudflareRecord> records) =>
        DnsRecordSet.Of(name, type, records.Count > 0 ? records.Min(r => r.Ttl) : 0, records.Select(Value));

    private static string Registered(string secret)
    {
        Secrets.Register(secret);
        return secret;
    }
}
