using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>One record set Pipeline would write: created (<c>+</c>), changed (<c>~</c>) or deleted (<c>-</c>).</summary>
public sealed record DnsChange(DnsRecordSet? From, DnsRecordSet? To)
{
    public string Symbol => From is null ? "+" : To is null ? "-" : "~";
    public DnsRecordSet Set => To ?? From!;

    /// <summary>What the update writes: the new set, or the old one emptied.</summary>
    public DnsRecordSet Replacement => To ?? From! with { Values = [] };

    public string Line => Symbol switch
    {
        "+" => $"+ {Set.Type} {Set.Name} {To!.ValuesText}",
        "-" => $"- {Set.Type} {Set.Name} {From!.ValuesText}",
        _ => $"~ {Set.Type} {Set.Name} {From!.ValuesText} → {To!.ValuesText}"
            + (From.Ttl != To!.Ttl ? $" (ttl {From.Ttl} → {To.Ttl})" : ""),
    };
}

/// <summary>
/// What a Dns run would change in the zone, and what it refuses to touch. Made (pure) from the names wanted, the names the
/// zone holds now, and the owner: a name with records but without this owner's marker is never changed or deleted.
/// </summary>
public sealed record DnsPlan(string Zone, IReadOnlyList<DnsChange> Changes, IReadOnlyList<string> Refusals)
{
    public bool HasChanges => Changes.Count > 0;

    public static DnsPlan Make(
        string zone,
        string owner,
        IReadOnlyList<ManagedName> wanted,
        IReadOnlyDictionary<string, ObservedName> observed,
        IReadOnlyList<string> gone
    )
    {
        var changes = new List<DnsChange>();
        var refusals = new List<string>();
        foreach (var name in wanted)
        {
            var now = observed[name.Name];
            if (Refusal(now, owner) is { } refusal) { refusals.Add(refusal); continue; }
            foreach (var type in ManagedName.AddressTypes)
                Diff(changes, now.Of(type), name.Records.FirstOrDefault(r => r.Type == type));
            Diff(changes, now.Marker, name.Marker);
        }
        foreach (var name in gone.Where(n => wanted.All(w => w.Name != n)))
        {
            var now = observed[name];
            if (DnsOwnership.OwnerIn(now.Marker.Values) != owner) continue;   // no longer ours: left alone
            foreach (var set in now.Records.Append(now.Marker)) Diff(changes, set, null);
        }
        return new DnsPlan(zone, changes, refusals);
    }

    /// <summary>Why a name is not ours to change: it holds records, and its marker is missing or names another owner.</summary>
    public static string? Refusal(ObservedName now, string owner)
    {
        var marker = $"TXT {DnsOwnership.MarkerName(now.Name)} \"{DnsOwnership.Marker(owner)}\"";
        return DnsOwnership.OwnerIn(now.Marker.Values) switch
        {
            { } o when o == owner => null,
            { } other =>
                $"{now.Name} is managed by Pipeline for '{other}', not '{owner}' (its marker {DnsOwnership.MarkerName(now.Name)} says "
                + $"owner={other}; expected {marker}): left untouched; give each environment its own names",
            null when now.Records.Count == 0 => null,
            null =>
                $"{string.Join(", ", now.Records.Select(r => r.ToString()))} is not Pipeline's: expected the ownership marker {marker}; "
                + "left untouched (delete the record, or add that marker to hand it over)",
        };
    }

    private static void Diff(List<DnsChange> changes, DnsRecordSet now, DnsRecordSet? wanted)
    {
        var current = now.Values.Count > 0 ? now : null;
        var next = wanted is { Values.Count: > 0 } ? wanted : null;
        if (current is null && next is null) return;
        if (current is not null && next is not null && current.SameValues(next) && current.Ttl == next.Ttl) return;
        changes.Add(new DnsChange(current, next));
    }

    public IEnumerable<string> Lines() => Changes.Select(c => c.Line).Concat(Refusals.Select(r => $"! {r}"));

    public string Summary() => Refusals.Count > 0
        ? $"DNS {Zone}: {Changes.Count} change(s), {Refusals.Count} name(s) refused"
        : HasChanges ? $"DNS {Zone}: {Changes.Count} change(s)" : $"DNS {Zone}: no changes";
}
