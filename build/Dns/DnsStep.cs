using Pipeline.Engine;
using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>
/// The Dns step of one environment: reads what the zone holds at every name the dns: section manages (and at the instance names
/// a group's marker lists from an earlier run), plans against the groups' members, and applies the plan in one update, then
/// waits until every authoritative server answers it. A name Pipeline does not own stops the step before anything is written.
/// </summary>
public sealed class DnsStep(DnsDefinition definition, IDnsProvider provider)
{
    public static readonly TimeSpan ServedTimeout = TimeSpan.FromMinutes(2);

    public Task<DnsPlan> PlanAsync(IReadOnlyDictionary<string, IReadOnlyList<DnsMember>> members, CancellationToken ct) =>
        PlanAsync(DesiredRecords.For(definition, members), ct);

    public Task<DnsPlan> ApplyAsync(IReadOnlyDictionary<string, IReadOnlyList<DnsMember>> members, CancellationToken ct) =>
        ApplyAsync(DesiredRecords.For(definition, members), ct);

    public async Task<DnsPlan> PlanAsync(IReadOnlyList<ManagedName> wanted, CancellationToken ct)
    {
        var observed = new Dictionary<string, ObservedName>(StringComparer.Ordinal);
        foreach (var name in wanted) observed[name.Name] = await ObserveAsync(name.Name, ct);
        var gone = wanted.SelectMany(w => DnsOwnership.IndexIn(observed[w.Name].Marker.Values))
            .Where(n => !observed.ContainsKey(n)).Distinct().ToList();
        foreach (var name in gone) observed[name] = await ObserveAsync(name, ct);
        var plan = DnsPlan.Make(definition.Zone, definition.Owner, wanted, observed, gone);
        foreach (var line in plan.Lines()) Log.Information(line);
        Log.Information(plan.Summary());
        return plan;
    }

    /// <summary>Writes <paramref name="wanted"/> (and removes the owned names their markers no longer list), or nothing when any
    /// name is not ours.</summary>
    public async Task<DnsPlan> ApplyAsync(IReadOnlyList<ManagedName> wanted, CancellationToken ct)
    {
        var plan = await PlanAsync(wanted, ct);
        if (plan.Refusals.Count > 0)
            throw new PipelineException(
                $"DNS {definition.Zone}: nothing changed, because {plan.Refusals.Count} name(s) are not Pipeline's to change: "
                + string.Join("; ", plan.Refusals)
            );
        if (!plan.HasChanges) return plan;
        var sets = plan.Changes.Select(c => c.Replacement).ToList();
        await provider.ReplaceAsync(sets, ct);
        await provider.WaitServedAsync(sets, ServedTimeout, ct);
        Log.Information($"DNS {definition.Zone}: {plan.Changes.Count} change(s) applied through {definition.Provider.Name}");
        return plan;
    }

    private async Task<ObservedName> ObserveAsync(string name, CancellationToken ct)
    {
        var records = new List<DnsRecordSet>();
        foreach (var type in ManagedName.AddressTypes)
            if (await provider.ReadAsync(name, type, ct) is { Values.Count: > 0 } set) records.Add(set);
        return new ObservedName(name, records, await provider.ReadAsync(DnsOwnership.MarkerName(name), DnsRecordType.TXT, ct));
    }
}
