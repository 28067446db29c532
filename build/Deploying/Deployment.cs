using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Locking;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;

namespace Pipeline.Deploying;

/// <param name="LockWait">How long to wait for another deployer's lock before refusing.</param>
public sealed record DeployRequest(TimeSpan LockWait, RolloutOptions Rollout);

/// <summary>
/// Plan, Deploy and Unlock of one environment: resolves each group's image, takes the environment's lock, runs the
/// rolling engine group by group, and writes the outputs (audit record, file_sd, timeline) under artifacts/deploy/.
/// </summary>
public sealed class Deployment(DeployLayout layout, EnvironmentDeployment environment, string? onlyGroup = null)
{
    /// <summary>How <c>blue_green: dns</c> groups switch their dns: records (Deploy passes the Dns step's).</summary>
    public IColourSwitch Records { get; init; } = new NoRecordSwitch();

    /// <summary>Awaited with each group's outcome once its audit record is written (Deploy's Grafana annotation).</summary>
    public Func<DeployOutcome, CancellationToken, Task>? Recorded { get; init; }

    private IEnumerable<GroupDefinition> Groups => onlyGroup is null ? environment.Groups : [environment.Group(onlyGroup)];
    private readonly ImageResolver _images = new(layout.Artifacts);

    public async Task<IReadOnlyList<GroupPlan>> PlanAsync(CancellationToken ct)
    {
        await using var targets = new GroupTarget(layout, _images) { Records = Records };
        var plans = new List<GroupPlan>();
        foreach (var group in Groups)
        {
            var plan = await targets.Rollout(group).PlanAsync(_images.Resolve(group), ct);
            foreach (var line in plan.Lines()) Log.Information(line);
            Log.Information(plan.Summary());
            plans.Add(plan);
        }
        return plans;
    }

    public async Task<IReadOnlyList<DeployOutcome>> DeployAsync(DeployRequest request, CancellationToken ct)
    {
        await using var targets = new GroupTarget(layout, _images) { Records = Records };
        if (request.Rollout.Rollback && Groups.FirstOrDefault(g => g.BlueGreen is null) is { } rolling)
            throw new UsageException(
                $"groups/{rolling.Name}: --rollback switches blue/green groups back to their old colour; {rolling.Name} rolls "
                + "(choose a blue/green group with --group, or deploy the previous image)"
            );
        var groups = Groups.Select(g => (Group: g, Image: _images.Resolve(g))).ToList();
        var version = string.Join(", ", groups.Select(g => $"{g.Group.Name}={ImageResolver.Short(g.Image)}"));
        await using var held = await DeployLock.AcquireAsync(
            targets.LockStore(environment),
            environment.Environment,
            version,
            environment.Lock.Ttl,
            request.LockWait,
            ct
        );
        var outcomes = new List<DeployOutcome>();
        foreach (var (group, image) in groups)
        {
            // Fencing: each rollout checks the lock before it changes anything (the rolling engine before each batch).
            var rollout = targets.Rollout(group);
            var outcome = await rollout.DeployAsync(image, request.Rollout with { BeforeBatch = held.EnsureHeldAsync }, ct);
            await new DeployOutputs(layout).WriteAsync(group, outcome, rollout, ct);
            if (Recorded is not null) await Recorded(outcome, ct);
            outcomes.Add(outcome);
            if (!outcome.Succeeded) break;
        }
        return outcomes;
    }

    public async Task<LockHolder> UnlockAsync(string nonce, CancellationToken ct)
    {
        await using var targets = new GroupTarget(layout, _images) { Records = Records };
        return await DeployLock.ForceRemoveAsync(targets.LockStore(environment), nonce, ct);
    }
}
