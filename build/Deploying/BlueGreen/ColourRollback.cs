using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;

namespace Pipeline.Deploying.BlueGreen;

/// <summary>
/// <c>Deploy --rollback</c> of a blue/green group (pure): the traffic goes back to the old colour, which must still be kept
/// (its <c>keep</c> not passed) and running as a whole. Nothing is started or stopped.
/// </summary>
public static class ColourRollback
{
    /// <summary>The colour to switch back to; a <see cref="PipelineException"/> saying why not, and what to do instead.</summary>
    public static Colour Target(
        GroupDefinition group,
        ColourState state,
        IReadOnlyDictionary<Colour, IReadOnlyList<ObservedInstance>> observed,
        DateTimeOffset now
    )
    {
        var bg = group.BlueGreen ?? throw new PipelineException(
            $"groups/{group.Name}: --rollback switches a blue/green group back to its old colour; this group rolls "
            + "(deploy the previous image instead)");
        var where = $"groups/{group.Name}: cannot roll back";
        if (state.Live is null || state.Previous is not { } previous || state.KeptUntil(bg.Keep) is not { } until)
            throw new PipelineException($"{where}: no old colour was kept ({state}); deploy the previous image instead");
        if (now >= until)
            throw new PipelineException(
                $"{where} to {previous.Lower()}: it was kept until {until:yyyy-MM-dd HH:mm:ss} UTC (keep {BlueGreenPlan.Duration(bg.Keep)}) "
                + "and is removed on the next deploy; deploy the previous image instead"
            );
        var running = (observed.TryGetValue(previous, out var list) ? list : []).Count(o => o.Running && o.Slot <= group.Count);
        if (running < group.Count)
            throw new PipelineException(
                $"{where} to {previous.Lower()}: {running} of its {group.Count} instances run; deploy the previous image instead"
            );
        return previous;
    }
}
