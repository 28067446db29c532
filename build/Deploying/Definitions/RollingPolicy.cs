namespace Pipeline.Deploying.Definitions;

public enum FailureAction { Rollback, Halt }

/// <summary>A batch size: a count of instances, or a percentage of the group (rounded up, at least 1).</summary>
public sealed record BatchSize(int Value, bool IsPercent)
{
    public int For(int count) => Math.Max(1, IsPercent ? (int)Math.Ceiling(count * Value / 100.0) : Value);
    public override string ToString() => IsPercent ? $"{Value}%" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary><c>groups/&lt;name&gt;/rolling</c>: how a group is replaced.</summary>
/// <param name="MaxSurge">Surge mode when above 0: per batch up to this many new instances start beside the old ones, on spare
/// slots and ports (the group uses <c>count + max_surge</c> per host), and serve before as many old ones are removed.</param>
/// <param name="MinHealthyPercent">The share of the group that must stay in service; caps the batch size.</param>
/// <param name="Warmup">Time after start before failed checks count against a new instance.</param>
/// <param name="Bake">How long a batch is watched after it is set ready before the next one starts.</param>
public sealed record RollingPolicy(
    BatchSize Batch,
    int MaxSurge,
    int MinHealthyPercent,
    TimeSpan Warmup,
    TimeSpan Bake,
    TimeSpan DrainTimeout,
    TimeSpan StopTimeout,
    FailureAction OnFailure)
{
    public static RollingPolicy Default { get; } = new(new BatchSize(1, false), 0, 100, TimeSpan.Zero, TimeSpan.Zero,
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), FailureAction.Rollback);

    /// <summary>
    /// Instances replaced at once: the batch, never taking the group below min_healthy_percent (unless the group is
    /// a single instance and surge is off, which would otherwise never roll), never below 1.
    /// </summary>
    public int EffectiveBatch(int count)
    {
        var batch = Batch.For(count);
        if (MaxSurge > 0) return Math.Min(batch, MaxSurge);
        var mayBeDown = count - (int)Math.Ceiling(count * MinHealthyPercent / 100.0);
        return Math.Max(1, Math.Min(batch, mayBeDown));
    }
}
