using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Rolling;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// How many instances a cloud rollout may add beside the group (<c>rolling/max_surge</c>) and take out of service
/// (the rolling batch, within <c>min_healthy_percent</c>, capped by <c>--max-unavailable</c>) at once: the numbers behind
/// an instance refresh's Min/MaxHealthyPercentage and a rolling update's maxSurge/maxUnavailable.
/// </summary>
public sealed record UpdateBudget(int Count, int Surge, int Unavailable)
{
    public static UpdateBudget For(GroupDefinition group, RolloutOptions options)
    {
        var surge = group.Rolling.MaxSurge;
        var unavailable = surge > 0 ? 0 : group.Rolling.EffectiveBatch(group.Count);
        if (options.MaxUnavailable is { } cap) unavailable = Math.Min(unavailable, Math.Max(0, cap));
        if (surge == 0) unavailable = Math.Max(1, unavailable); // nothing could be replaced otherwise
        return new UpdateBudget(group.Count, surge, unavailable);
    }

    /// <summary>The share that stays in service: (count − unavailable) / count, rounded up.</summary>
    public int MinHealthyPercent => Count == 0 ? 100 : (int)Math.Ceiling(100.0 * (Count - Unavailable) / Count);

    /// <summary>100% plus the surge's share, at most 200% (AWS's limit).</summary>
    public int MaxHealthyPercent => Count == 0 ? 100 : Math.Min(200, 100 + (int)Math.Ceiling(100.0 * Surge / Count));
}
