using Pipeline.Deploying.Definitions;

namespace Pipeline.Deploying.Planning;

/// <summary>One surge step: start <see cref="Starts"/> beside the old instances, then, once they serve, remove <see
/// cref="Retires"/>.</summary>
public sealed record SurgeBatch(IReadOnlyList<InstanceChange> Starts, IReadOnlyList<ObservedInstance> Retires);

/// <summary>
/// Surge mode (<c>rolling/max_surge</c> above 0): new instances start in free slots of the group's range (count plus
/// max_surge spare slots per host, each with its own host port) beside the old ones, which are removed only after the
/// new ones serve, so the group never has fewer than <c>count</c> instances in traffic. Names therefore move: web-1…4
/// rolled with max_surge 2 become web-5, web-6, web-1, web-2. Stopped instances and instances beyond the count go first.
/// </summary>
public sealed record SurgePlan(GroupPlan Plan, IReadOnlyList<ObservedInstance> RemoveFirst, IReadOnlyList<SurgeBatch> Batches)
{
    public static SurgePlan Make(
        GroupDefinition group,
        string image,
        IReadOnlyList<ObservedInstance> observed,
        int batch,
        IReadOnlySet<string>? unhealthy = null
    )
    {
        unhealthy ??= new HashSet<string>();
        var keep = observed
            .Where(o => o.Running && o.Slot >= 1 && o.Slot <= group.SlotRange && !unhealthy.Contains(o.Name) && o.Image == image
                        && o.SpecHash == DesiredInstance.ForSlot(group, image, o.Slot).SpecHash)
            .OrderBy(o => o.Slot).Take(group.Count).ToList();
        var live = observed
            .Except(keep)
            .Where(o => o.Running)
            .OrderByDescending(o => unhealthy.Contains(o.Name))
            .ThenByDescending(o => o.Slot > group.SlotRange)
            .ThenBy(o => o.Slot)
            .ToList();
        var needed = group.Count - keep.Count;
        var surplus = Math.Max(0, live.Count - needed);
        var removeFirst = observed.Where(o => !o.Running).Concat(live.Take(surplus)).ToList();
        var retiring = live.Skip(surplus).ToList();

        // Units of replacement: growth (nothing to retire) first, then one new instance per old one.
        var units = Enumerable.Repeat<ObservedInstance?>(null, needed - retiring.Count).Concat(retiring).ToList();
        var occupied = keep.Concat(retiring).Select(o => o.Slot).ToHashSet();
        var batches = new List<SurgeBatch>();
        foreach (var chunk in units.Chunk(Math.Max(1, batch)))
        {
            var starts = chunk.Select(old =>
            {
                var slot = FreeSlot(group, occupied, old?.Slot);
                return new InstanceChange(
                    ChangeKind.Create,
                    group.InstanceName(slot),
                    slot,
                    old?.Image,
                    image,
                    old is null ? null : $"surge, replaces {old.Name}"
                );
            }).ToList();
            var retires = chunk.OfType<ObservedInstance>().ToList();
            foreach (var r in retires) occupied.Remove(r.Slot);
            batches.Add(new SurgeBatch(starts, retires));
        }

        var changes = keep.Select(o => new InstanceChange(ChangeKind.Keep, o.Name, o.Slot, o.Image, image)).ToList();
        changes.AddRange(removeFirst.Select(o => Retire(o, o.Running ? "beyond the count" : "not running")));
        foreach (var b in batches)
        {
            changes.AddRange(b.Starts);
            changes.AddRange(b.Retires.Select(o => Retire(o, null)));
        }
        return new SurgePlan(new GroupPlan(group, image, changes), removeFirst, batches);
    }

    /// <summary>
    /// A slot of the group's range nobody occupies, on the same host as <paramref name="near"/> when one is free there
    /// (so an ssh group stays spread evenly), the lowest otherwise. Marks it occupied.
    /// </summary>
    public static int FreeSlot(GroupDefinition group, ISet<int> occupied, int? near)
    {
        lock (occupied)
        {
            var free = Enumerable.Range(1, group.SlotRange).Where(s => !occupied.Contains(s)).ToList();
            if (free.Count == 0)
                throw new Engine.PipelineException(
                    $"groups/{group.Name}: no free slot among the {group.SlotRange} of the group's range (count + max_surge per host)"
                );
            var slot =
                near is { } n && free.FirstOrDefault(s => group.HostIndex(s) == group.HostIndex(n)) is var same && same > 0
                    ? same
                    : free[0];
            occupied.Add(slot);
            return slot;
        }
    }

    private static InstanceChange Retire(ObservedInstance o, string? reason) =>
        new(ChangeKind.Remove, o.Name, o.Slot, o.Image, null, reason);
}
