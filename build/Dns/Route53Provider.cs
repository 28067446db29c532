using Pipeline.Engine;
using Pipeline.Tools.Dns;
using Pipeline.Tools.Route53;

namespace Pipeline.Dns;

/// <summary>
/// The route53 provider: a set read with ListResourceRecordSets; the sets replaced in one ChangeResourceRecordSets batch,
/// which Route 53 applies all or nothing (a set with values: UPSERT; an emptied set: DELETE with the values it holds now,
/// as Route 53 requires); waiting is GetChange until the batch is INSYNC on every Route 53 name server.
/// </summary>
public sealed class Route53Provider(string zone, Route53ProviderDefinition definition, Route53Client client) : IDnsProvider
{
    private string? _change;

    public string Zone => zone;

    public Task<DnsRecordSet> ReadAsync(string name, DnsRecordType type, CancellationToken ct) =>
        client.ReadAsync(definition.HostedZone, name, type, ct);

    public async Task ReplaceAsync(IReadOnlyList<DnsRecordSet> sets, CancellationToken ct)
    {
        var changes = new List<(string Action, DnsRecordSet Set)>();
        foreach (var set in sets.OrderBy(s => s.Values.Count > 0))
        {
            if (set.Values.Count > 0) changes.Add(("UPSERT", set));
            else if (await ReadAsync(set.Name, set.Type, ct) is { Values.Count: > 0 } current) changes.Add(("DELETE", current));
        }
        if (changes.Count == 0) return;
        _change = await client.ChangeAsync(definition.HostedZone, changes, $"Pipeline: {changes.Count} change(s) in {zone}", ct);
        Log.Information($"DNS {zone}: Route 53 change {_change} submitted to hosted zone {definition.HostedZone}");
    }

    public async Task WaitServedAsync(IReadOnlyList<DnsRecordSet> sets, TimeSpan timeout, CancellationToken ct)
    {
        if (_change is not { } change) return;
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (await client.ChangeStatusAsync(change, ct) is var status && status != "INSYNC")
        {
            if (DateTimeOffset.UtcNow > deadline)
                throw new PipelineException(
                    $"Route 53 change {change} (hosted zone {definition.HostedZone}: "
                    + $"{string.Join(", ", sets.Select(s => $"{s.Type} {s.Name}"))}) "
                    + $"is still {status} after {timeout.TotalSeconds:0}s"
                );
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        Log.Information($"DNS {zone}: Route 53 change {change} is INSYNC (every Route 53 name server answers it)");
    }
}
