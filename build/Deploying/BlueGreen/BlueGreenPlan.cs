using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;

namespace Pipeline.Deploying.BlueGreen;

/// <summary>
/// What Deploy does to a blue/green group (pure). When the live colour already runs the image, nothing is started or
/// switched; the old colour is removed once <c>keep</c> has passed. Otherwise the idle colour (blue when none is live) is
/// made to run the image as a whole (<see cref="Idle"/>: slots created or replaced, those already right kept), and after its
/// health gates the traffic is switched to it; the live colour keeps running, becoming the old one.
/// </summary>
/// <param name="Target">The colour that takes the traffic after the deploy.</param>
/// <param name="Idle">The target colour's changes, per slot.</param>
/// <param name="Expired">The old colour's instances to remove (its keep has passed).</param>
public sealed record BlueGreenPlan(
    GroupDefinition Group,
    string Image,
    ColourState State,
    Colour Target,
    GroupPlan Idle,
    IReadOnlyList<ObservedInstance> Expired,
    bool Switch
)
{
    public static BlueGreenPlan Make(
        GroupDefinition group,
        string image,
        ColourState state,
        IReadOnlyDictionary<Colour, IReadOnlyList<ObservedInstance>> observed,
        DateTimeOffset now
    )
    {
        var bg = group.BlueGreen
            ?? throw new PipelineException($"groups/{group.Name}: not a blue/green group (add blue_green: dns or haproxy)");
        IReadOnlyList<ObservedInstance> Of(Colour c) => observed.TryGetValue(c, out var list) ? list : [];
        if (state.Live is { } live)
        {
            var current = GroupPlan.Make(group.InColour(live), image, Of(live));
            if (!current.HasChanges)
            {
                var expired = state.KeptUntil(bg.Keep) is { } until && now < until ? [] : Of(live.Other());
                return new BlueGreenPlan(group, image, state, live, current, expired, Switch: false);
            }
        }
        var target = state.Live?.Other() ?? Colour.Blue;
        return new BlueGreenPlan(group, image, state, target, GroupPlan.Make(group.InColour(target), image, Of(target)), [], Switch: true);
    }

    /// <summary>The plan as Plan prints it and the audit record keeps it: the target colour's changes, the removals, the switch.</summary>
    public GroupPlan AsGroupPlan(TimeSpan keep)
    {
        var removals = Expired.Select(o => new InstanceChange(ChangeKind.Remove, o.Name, o.Slot, o.Image, null, "old colour, keep passed"));
        return Idle with
        {
            Group = Group,
            Changes = [.. Idle.Changes, .. removals],
            Switches = Switch,
            Headline = Headline(keep),
        };
    }

    private string Headline(TimeSpan keep)
    {
        var live = State.Live is { } l ? $"live {l.Lower()}" : "no colour live";
        if (Switch)
            return $"{Group.Name}: {live}; start {Target.Lower()} ({ColourRoute.Place(Group, Target)}), check its health, "
                + $"then switch {ColourRoute.Noun(Group)} to it{(State.Live is { } old ? $" and keep {old.Lower()} for {Duration(keep)}" : "")}";
        if (Expired.Count > 0) return $"{Group.Name}: {live}; remove the old colour {Target.Other().Lower()} (kept {Duration(keep)})";
        return State.KeptUntil(keep) is { } until && State.Previous is { } previous
            ? $"{Group.Name}: {live}; {previous.Lower()} kept for rollback until {until:HH:mm:ss} UTC"
            : $"{Group.Name}: {live}";
    }

    internal static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.Minutes == 0 ? $"{span.TotalHours:0}h"
        : span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0}m"
        : $"{span.TotalSeconds:0}s";
}
