using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using System.Diagnostics;

namespace Pipeline.Deploying.BlueGreen;

/// <summary>
/// The rollout of a <c>blue_green</c> group (execution of <see cref="BlueGreenPlan"/> and <see cref="ColourRollback"/>): starts the
/// target colour's instances, passes each through the group's health gate, readies them where the switch routes (HAProxy: their
/// backend), switches the traffic (<see cref="IColourSwitch"/>: the dns: records, HAProxy's map) and records the switch; a failed
/// gate removes what it started and leaves the traffic alone. The old colour keeps running.
/// </summary>
public sealed class BlueGreenRollout(
    GroupDefinition group,
    Func<GroupDefinition, IInstanceProvider> providers,
    IColourSwitch route,
    DeployJournal journal,
    AbsolutePath statePath,
    Func<string, CancellationToken, Task> appendHostAudit,
    IHealthProbe? probe = null,
    TimeProvider? clock = null
) : IGroupRollout
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly HealthGate _gate = new(probe ?? new HttpHealthProbe(), group.Health, group.Rolling.Warmup);
    private readonly Dictionary<Colour, IInstanceProvider> _providers = [];
    private TimeSpan Keep => group.BlueGreen!.Keep;

    public async Task<GroupPlan> PlanAsync(string image, CancellationToken ct)
    {
        var observed = await ObserveAsync(ct);
        var state = Follow(ColourState.Load(statePath), await route.LiveAsync(group, ct), observed);
        return BlueGreenPlan.Make(group, image, state, observed, _clock.GetUtcNow()).AsGroupPlan(Keep);
    }

    public async Task<DeployOutcome> DeployAsync(string image, RolloutOptions options, CancellationToken ct)
    {
        var started = _clock.GetUtcNow();
        var id = DeployId.New(started, "bluegreen");
        journal.Append(new(id, started, "start", To: image, Detail: $"{group.Environment}/{group.Name}"));
        var state = ColourState.Load(statePath);
        var fence = options.BeforeBatch ?? (_ => Task.CompletedTask);
        var plan = new GroupPlan(group, image, []) { Headline = $"{group.Name}: {state}" };
        try
        {
            route.Check(group);
            var observed = await ObserveAsync(ct);
            var routed = await route.LiveAsync(group, ct);
            if (Follow(state, routed, observed) is var followed && followed != state)
                await (state = followed).SaveAsync(statePath, ct);
            await fence(ct);
            if (options.Rollback)
            {
                var back = ColourRollback.Target(group, state, observed, _clock.GetUtcNow());
                Log.Information($"{group.Name}: rollback: switch {Noun} {state.Live?.Lower()} → {back.Lower()} ({Runs(observed[back])})");
                plan = plan with { Switches = true, Headline = $"{group.Name}: rollback to {back.Lower()}" };
                state = await SwitchAsync(id, state, back, ct);
                return Finish(id, plan, started, true, state, $"{Name}: rolled back, {ColourRoute.Leads(group, back)} again "
                    + $"({state.Previous?.Lower()} kept until {state.KeptUntil(Keep):HH:mm:ss} UTC)");
            }
            var made = BlueGreenPlan.Make(group, image, state, observed, started);
            plan = made.AsGroupPlan(Keep);
            Log.Information(plan.Headline!);
            if (made.Switch)
            {
                await StartColourAsync(id, made, observed[made.Target], state.Live is { } l ? observed[l] : [], ct);
                await fence(ct);
                state = await SwitchAsync(id, state, made.Target, ct);
            }
            else if (state.Live is { } live && routed != live)
            {
                Log.Warning(
                    $"{Name}: {Noun} does not lead to the live colour {live.Lower()} (a restarted load balancer?): switching it back");
                state = await SwitchAsync(id, state, live, ct);
            }
            if (made.Expired.Count > 0) await route.ReleaseAsync(group, made.Target.Other(), made.Expired, ct);
            foreach (var old in made.Expired)
            {
                await Provider(made.Target.Other()).StopAsync(old, group.Rolling.StopTimeout, ct);
                journal.Append(new(id, _clock.GetUtcNow(), "removed", old.Name, old.Image, Detail: "old colour, keep passed"));
            }
            return Finish(id, plan, started, true, state, made.Switch
                ? $"{Name}: {group.Count} × {ImageResolver.Short(image)} live on {made.Target.Lower()}"
                    + (state.Previous is { } p ? $", {p.Lower()} kept until {state.KeptUntil(Keep):HH:mm:ss} UTC" : "")
                : $"{Name}: up to date on {made.Target.Lower()} ({group.Count} × {ImageResolver.Short(image)})");
        }
        catch (PipelineException e) when (e is not Locking.DeployLockLostException && !ct.IsCancellationRequested)
        {
            journal.Append(new(id, _clock.GetUtcNow(), "failed", Detail: e.Message));
            return Finish(id, plan, started, false, state, $"{Name}: {e.Message}; {state}, {Noun} unchanged");
        }
    }

    /// <summary>Brings the target colour to the plan (slots whose instance differs replaced), checks every instance's health, judges
    /// it against the <paramref name="live"/> colour on test traffic (when asked for) and readies it where the switch routes; on a
    /// failure, removes the instances it started.</summary>
    private async Task StartColourAsync(string id, BlueGreenPlan plan, IReadOnlyList<ObservedInstance> current,
        IReadOnlyList<ObservedInstance> live, CancellationToken ct)
    {
        var colour = group.InColour(plan.Target);
        var provider = Provider(plan.Target);
        var replaced = current.Where(o => plan.Idle.Pending.Any(c => c.Slot == o.Slot)).ToList();
        if (replaced.Count > 0) await route.ReleaseAsync(group, plan.Target, replaced, ct);
        foreach (var gone in plan.Idle.Pending.Where(c => c.Kind == ChangeKind.Remove))
            await provider.StopAsync(current.First(o => o.Slot == gone.Slot), group.Rolling.StopTimeout, ct);
        var toStart = plan.Idle.Pending.Where(c => c.Kind != ChangeKind.Remove).ToList();
        var startedNow = await Task.WhenAll(toStart.Select(async c =>
        {
            if (current.FirstOrDefault(o => o.Slot == c.Slot) is { } old) await provider.StopAsync(old, group.Rolling.StopTimeout, ct);
            var instance = await provider.StartAsync(DesiredInstance.ForSlot(colour, plan.Image, c.Slot), ct);
            journal.Append(new(id, _clock.GetUtcNow(), "started", instance.Name, c.From, plan.Image));
            return instance;
        }));
        var members = (await provider.ListAsync(ct)).Where(o => o.Slot <= group.Count).ToList();
        var verdicts = await Task.WhenAll(members.Select(async m => (m.Name, Verdict: await _gate.WaitHealthyAsync(m.Address, ct))));
        var failure = verdicts.FirstOrDefault(v => !v.Verdict.Healthy) is { Name: not null } bad
            ? $"{bad.Name} failed its health gate ({bad.Verdict.Detail})"
            : null;
        if (failure is null && group.BlueGreen!.Test is { } test)
            failure = await new TestTraffic(test, group.Health.Timeout).RunAsync(journal, id, plan.Target, members,
                live.Where(o => o.Running && o.Slot <= group.Count).ToList(), ct);
        if (failure is null)
            try { await route.PrepareAsync(group, plan.Target, members, ct); }
            catch (PipelineException e) when (e is not Locking.DeployLockLostException) { failure = e.Message; }
        if (failure is not null)
        {
            await route.ReleaseAsync(group, plan.Target, members, ct);
            foreach (var instance in startedNow) await provider.StopAsync(instance, group.Rolling.StopTimeout, ct);
            throw new PipelineException($"{failure}; removed the {startedNow.Length} instance(s) started in {plan.Target.Lower()}");
        }
        foreach (var (name, verdict) in verdicts) journal.Append(new(id, _clock.GetUtcNow(), "healthy", name, Detail: verdict.Detail));
    }

    /// <summary>Readies <paramref name="colour"/>'s running members, switches the traffic to them, and saves the state.</summary>
    private async Task<ColourState> SwitchAsync(string id, ColourState state, Colour colour, CancellationToken ct)
    {
        var members = (await Provider(colour).ListAsync(ct)).Where(o => o.Running && o.Slot <= group.Count).ToList();
        journal.Append(new(id, _clock.GetUtcNow(), "switch", From: state.Live?.Lower(), To: colour.Lower()));
        await route.PrepareAsync(group, colour, members, ct);
        var watch = Stopwatch.StartNew();
        await route.SwitchAsync(group, colour, members, ct);
        var next = state.SwitchedTo(colour, _clock.GetUtcNow());
        await next.SaveAsync(statePath, ct);
        journal.Append(new(id, _clock.GetUtcNow(), "switched", From: state.Live?.Lower(), To: colour.Lower(),
            Detail: $"{ColourRoute.Leads(group, colour)} after {watch.Elapsed.TotalSeconds:0.00}s"));
        return next;
    }

    /// <summary>
    /// Where the traffic goes (the zone, HAProxy's map) is the truth about which colour is live: when it leads to a colour other than
    /// the state file says (another machine switched, or this one has no file), the state follows it, and the other colour, if it
    /// runs, is kept for <c>keep</c> from now.
    /// </summary>
    private ColourState Follow(ColourState state, Colour? routed, IReadOnlyDictionary<Colour, IReadOnlyList<ObservedInstance>> observed)
    {
        if (routed is not { } live || live == state.Live) return state;
        var other = observed[live.Other()];
        Log.Warning($"{Name}: {ColourRoute.Leads(group, live)}, while {statePath} says {state}: following {ColourRoute.Truth(group)}"
            + (other.Count > 0
                ? $"; {live.Other().Lower()} ({Runs(other)}) is kept for {BlueGreenPlan.Duration(Keep)} from now "
                    + "(when it was switched from is known only where the switch was made)"
                : ""));
        return new ColourState(live, other.Count > 0 ? live.Other() : null, _clock.GetUtcNow());
    }

    /// <summary><c>2 of 2 running heartbeat@sha256:ab12…</c>: what a colour's instances run, from their labels.</summary>
    private string Runs(IReadOnlyList<ObservedInstance> instances) =>
        $"{instances.Count(o => o.Running && o.Slot <= group.Count)} of {group.Count} running "
        + string.Join(", ", instances.Select(o => ImageResolver.Short(o.Image)).Distinct());

    private DeployOutcome Finish(string id, GroupPlan plan, DateTimeOffset started, bool ok, ColourState state, string message)
    {
        journal.Append(new(id, _clock.GetUtcNow(), "finished", Detail: ok ? "succeeded" : "halted"));
        return new DeployOutcome(id, ok, false, message, plan, started, _clock.GetUtcNow()) { Live = state.Live?.Lower() };
    }

    private string Name => $"{group.Environment}/{group.Name}";
    private string Noun => ColourRoute.Noun(group);
    private IInstanceProvider Provider(Colour colour) =>
        _providers.TryGetValue(colour, out var p) ? p : _providers[colour] = providers(group.InColour(colour));

    private async Task<IReadOnlyDictionary<Colour, IReadOnlyList<ObservedInstance>>> ObserveAsync(CancellationToken ct) =>
        new Dictionary<Colour, IReadOnlyList<ObservedInstance>>
        {
            [Colour.Blue] = await Provider(Colour.Blue).ListAsync(ct),
            [Colour.Green] = await Provider(Colour.Green).ListAsync(ct),
        };

    /// <summary>The live colour's members (the Dns step, file_sd and etcd see only those): the colour the traffic goes to, else the
    /// one the state file names, so that a Dns run on a machine without the file rewrites the records it found.</summary>
    public async Task<IReadOnlyList<ObservedInstance>> MembersAsync(CancellationToken ct) =>
        (await route.LiveAsync(group, ct) ?? ColourState.Load(statePath).Live) is { } live ? await Provider(live).ListAsync(ct) : [];

    public Task<IReadOnlyList<ObservedInstance>> ServingAsync(IReadOnlyList<ObservedInstance> members, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ObservedInstance>>(members.Where(m => m.Running).ToList());

    public IReadOnlyList<JournalEntry> Journal(string deployId) => journal.Of(deployId);
    public Task AppendHostAuditAsync(string line, CancellationToken ct) => appendHostAudit(line, ct);
}
