using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using System.Diagnostics;

namespace Pipeline.Benchmarks;

/// <summary>A record switch that notes when each switch started and how long it took until every authoritative server answered
/// (the dns benchmark and the blue/green integration test read the time from there to the new colour's first answer).</summary>
public sealed class TimedRecordSwitch(IColourSwitch inner) : IColourSwitch
{
    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the last switch started.</summary>
    public long LastStarted { get; private set; }

    /// <summary>How long the last switch took, until served.</summary>
    public TimeSpan LastDuration { get; private set; }

    public void Check(GroupDefinition group) => inner.Check(group);

    public Task<Colour?> LiveAsync(GroupDefinition group, CancellationToken ct) => inner.LiveAsync(group, ct);

    public async Task SwitchAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        LastStarted = Stopwatch.GetTimestamp();
        await inner.SwitchAsync(group, colour, members, ct);
        LastDuration = Stopwatch.GetElapsedTime(LastStarted);
    }
}
