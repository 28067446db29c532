using Pipeline.Deploying.Definitions;

namespace Pipeline.Deploying.Planning;

/// <summary>What Deploy would do to one group: a change per slot, Terraform-style.</summary>
public sealed record GroupPlan(GroupDefinition Group, string Image, IReadOnlyList<InstanceChange> Changes)
{
    public IEnumerable<InstanceChange> Pending => Changes.Where(c => c.Kind != ChangeKind.Keep);
    public bool HasChanges => Switches || Pending.Any();
    public int Count(ChangeKind kind) => Changes.Count(c => c.Kind == kind);

    /// <summary>A line Plan prints before the changes (a blue/green group's live colour and the switch).</summary>
    public string? Headline { get; init; }

    /// <summary>A change beyond the instances (a blue/green switch of the dns: records).</summary>
    public bool Switches { get; init; }

    /// <summary>Compares desired and observed by slot: a missing slot is created, a different image or spec replaced,
    /// a slot above the count removed, a stopped instance replaced. In surge mode, see <see cref="SurgePlan"/>.</summary>
    public static GroupPlan Make(GroupDefinition group, string image, IReadOnlyList<ObservedInstance> observed)
    {
        if (group.Rolling.MaxSurge > 0) return SurgePlan.Make(group, image, observed, group.Rolling.EffectiveBatch(group.Count)).Plan;
        var desired = DesiredInstance.For(group, image);
        var bySlot = observed.GroupBy(o => o.Slot).ToDictionary(g => g.Key, g => g.First());
        var changes = new List<InstanceChange>();
        foreach (var d in desired)
        {
            if (!bySlot.TryGetValue(d.Slot, out var o)) changes.Add(new(ChangeKind.Create, d.Name, d.Slot, null, d.Image));
            else if (o.Image != d.Image)
                changes.Add(new(ChangeKind.Replace, d.Name, d.Slot, o.Image, d.Image));
            else if (o.SpecHash != d.SpecHash)
                changes.Add(new(ChangeKind.Replace, d.Name, d.Slot, o.Image, d.Image, "environment or ports changed"));
            else if (!o.Running)
                changes.Add(new(ChangeKind.Replace, d.Name, d.Slot, o.Image, d.Image, "not running"));
            else
                changes.Add(new(ChangeKind.Keep, d.Name, d.Slot, o.Image, d.Image));
        }
        foreach (var o in observed.Where(o => o.Slot > group.Count || o.Slot < 1).OrderBy(o => o.Slot))
            changes.Add(new(ChangeKind.Remove, o.Name, o.Slot, o.Image, null));
        return new GroupPlan(group, image, changes);
    }

    /// <summary><c>~ web-2  heartbeat@sha256:ab12… → @sha256:cd34…</c>, one line per pending change.</summary>
    public IEnumerable<string> Lines() => (Headline is null ? [] : new[] { Headline }).Concat(Pending.Select(c => c.Kind switch
    {
        ChangeKind.Create => $"+ {c.Name}  {ImageResolver.Short(c.To!)}{Why(c)}",
        ChangeKind.Remove => $"- {c.Name}  {ImageResolver.Short(c.From!)}{Why(c)}",
        _ when c.From == c.To => $"~ {c.Name}  {ImageResolver.Short(c.To!)}  ({c.Reason})",
        _ => $"~ {c.Name}  {ImageResolver.Short(c.From!)} → {ImageResolver.DigestOnly(c.To!)}",
    }));

    private static string Why(InstanceChange c) => c.Reason is null ? "" : $"  ({c.Reason})";

    public string Summary() =>
        HasChanges
            ? $"{Group.Environment}/{Group.Name}: {Count(ChangeKind.Create)} to add, {Count(ChangeKind.Replace)} to replace, "
                + $"{Count(ChangeKind.Remove)} to remove{(Switches ? ", dns: records to switch" : "")}."
            : $"{Group.Environment}/{Group.Name}: no changes ({Group.Count} × {ImageResolver.Short(Image)}).";
}
