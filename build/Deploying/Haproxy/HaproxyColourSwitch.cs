using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Tools.Haproxy;
using System.Diagnostics;

namespace Pipeline.Deploying.Haproxy;

/// <summary>
/// <c>blue_green: haproxy</c>: each colour's instances are the servers of its own backend (<c>web_blue</c>, <c>web_green</c>), and the
/// frontend picks the backend through a map entry <c>web → web_blue</c> (<c>use_backend %[str(web),map(/etc/haproxy/colours.map)]</c>).
/// The switch is one <c>set map</c> on the runtime API: atomic (each request after it goes to the new backend, those under way
/// finish on the old one, which keeps running), no reload. The map is found by its key, the group's backend.
/// </summary>
public sealed class HaproxyColourSwitch(HaproxyRuntimeApi api, LoadBalancerDefinition lb, Func<Colour, ILoadBalancer> backends)
    : IColourSwitch
{
    public void Check(GroupDefinition group) { }

    /// <summary>The colour whose backend the map entry names, when that backend has servers (a fresh or restarted HAProxy's has
    /// none: nothing is live there).</summary>
    public async Task<Colour?> LiveAsync(GroupDefinition group, CancellationToken ct)
    {
        var entry = await EntryAsync(ct);
        Colour? colour = entry.Value == lb.ColourBackend(Colour.Blue) ? Colour.Blue
            : entry.Value == lb.ColourBackend(Colour.Green) ? Colour.Green : null;
        return colour is { } c && (await backends(c).MembersAsync(ct)).Count > 0 ? c : null;
    }

    /// <summary>Adds each member missing from the colour's backend (in maintenance, with the group's check), sets it ready, removes
    /// servers that are no member, and waits until HAProxy's own check passes for every member.</summary>
    public async Task PrepareAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        var backend = backends(colour);
        var known = await backend.MembersAsync(ct);
        foreach (var member in members.Where(m => !known.GetValueOrDefault(m.Name)))
        {
            await backend.EnsureMemberAsync(member.Name, member.Address, ct);
            await backend.ReadyAsync(member.Name, ct);
        }
        foreach (var stale in known.Keys.Where(n => members.All(m => m.Name != n)))
            await backend.RemoveAsync(stale, group.Rolling.DrainTimeout, ct);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var serving = await backend.MembersAsync(ct);
            var waiting = members.Where(m => !serving.GetValueOrDefault(m.Name)).Select(m => m.Name).ToList();
            if (waiting.Count == 0) return;
            if (watch.Elapsed > group.Health.StartTimeout)
                throw new PipelineException($"{waiting[0]}: HAProxy's check of {lb.ColourBackend(colour)} does not pass within "
                    + $"start_timeout {group.Health.StartTimeout.TotalSeconds:0}s; the switch did not happen");
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    public async Task SwitchAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        var entry = await EntryAsync(ct);
        await api.ExecuteAsync(HaproxyCommands.SetMap(entry.Map, lb.Backend, lb.ColourBackend(colour)), ct);
        Log.Information($"  HAProxy {entry.Map}: {lb.Backend} → {lb.ColourBackend(colour)}");
    }

    public async Task ReleaseAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        foreach (var member in members) await backends(colour).RemoveAsync(member.Name, group.Rolling.DrainTimeout, ct);
    }

    /// <summary>The one map entry whose key is the group's backend.</summary>
    private async Task<MapEntry> EntryAsync(CancellationToken ct) =>
        await HaproxyMaps.FindAsync(api, lb.Backend, ct) switch
        {
            [var one] => one,
            [] => throw new PipelineException(
                $"HAProxy ({api.Endpoint}) has no map entry for {lb.Backend}: blue_green: haproxy needs its frontend to say "
                + $"'use_backend %[str({lb.Backend}),map(<file>)]', the file holding '{lb.Backend} {lb.ColourBackend(Colour.Blue)}', "
                + $"and the backends {lb.ColourBackend(Colour.Blue)} and {lb.ColourBackend(Colour.Green)}"),
            var many => throw new PipelineException(
                $"HAProxy ({api.Endpoint}) has {many.Count} map entries for {lb.Backend} ({string.Join(", ", many.Select(e => e.Map))}): "
                + "keep one, so that the switch is one operation"),
        };
}
