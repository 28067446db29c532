using Pipeline.Engine;
using Pipeline.Tools.Cloudflare;
using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>
/// The cloudflare provider: the zone's id looked up once by its name, a set read as the records of its name and type, and a
/// change of any number of sets written as ONE batch call (Cloudflare keeps one record per value; see
/// <see cref="Changes"/>). The batch runs in one transaction, deletes first, so that a name changing from A to CNAME never
/// holds both, and a refused operation leaves every record as it was.
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
        var batch = CloudflareBatch.Empty;
        foreach (var set in sets)
            batch = batch.Plus(Changes(set, await Client.ListAsync(zoneId, set.Name, set.Type.ToString(), ct)));
        await Client.BatchAsync(zoneId, batch, ct);
        if (!batch.IsEmpty) Log.Information($"DNS {zone}: Cloudflare applied {batch.Count} record change(s) in one batch");
    }

    /// <summary>
    /// A set's changes against its current records: a value kept stays (overwritten when its TTL changes), a value gone
    /// becomes a new value where there is one (its record overwritten), else is deleted; values left over are created.
    /// </summary>
    public static CloudflareBatch Changes(DnsRecordSet set, IReadOnlyList<CloudflareRecord> current)
    {
        var kept = current.Where(r => set.Values.Contains(Value(r), StringComparer.Ordinal)).DistinctBy(Value).ToList();
        var gone = current.Except(kept).ToList();
        var added = set.Values.Where(v => kept.All(k => Value(k) != v)).ToList();
        CloudflareWrite Write(string content) => new(set.Name, set.Type.ToString(), content, set.Ttl);
        return new CloudflareBatch(
            gone.Skip(added.Count).ToList(),
            [
                .. kept.Where(r => r.Ttl != set.Ttl).Select(r => (r, Write(r.Content))),
                .. gone.Zip(added).Select(p => (p.First, Write(p.Second))),
            ],
            added.Skip(gone.Count).Select(Write).ToList()
        );
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
