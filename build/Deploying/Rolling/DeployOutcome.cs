using Pipeline.Deploying.Planning;

namespace Pipeline.Deploying.Rolling;

/// <summary>How a group's deploy ended. Failed deploys carry the instance and the failed check in <see cref="Message"/>.</summary>
public sealed record DeployOutcome(
    string DeployId,
    bool Succeeded,
    bool RolledBack,
    string Message,
    GroupPlan Plan,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt
)
{
    /// <summary>A blue/green group's live colour after the deploy (null for rolling groups).</summary>
    public string? Live { get; init; }
}

/// <summary>Knobs from the command line that override the group's policy for one run.</summary>
/// <param name="MaxUnavailable">Caps how many instances are out of traffic at once (--max-unavailable).</param>
/// <param name="BeforeBatch">Fencing, awaited before each batch of a rolling deploy: the deploy lock's <c>EnsureHeldAsync</c>.</param>
/// <param name="Rollback">Deploy --rollback: a blue/green group switches its records back to the kept old colour.</param>
public sealed record RolloutOptions(int? MaxUnavailable = null, Func<CancellationToken, Task>? BeforeBatch = null, bool Rollback = false);

/// <summary>A batch that did not become healthy: the instance and the check that failed.</summary>
internal sealed class BatchFailure(string instance, string detail) : Exception($"{instance}: {detail}")
{
    public string Instance { get; } = instance;
    public string Detail { get; } = detail;
}
