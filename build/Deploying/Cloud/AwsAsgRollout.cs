using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Tools.Aws;
using System.Globalization;
using static Pipeline.Tools.Aws.AwsQueryClient;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// An aws-asg group's rollout, done by AWS itself: Plan compares the group's launch template version (its user data:
/// image, port, env) and desired capacity with the desired ones; Deploy writes a new launch template version and starts
/// an instance refresh to it (<see cref="AwsRefreshRequest"/>), then sets the desired capacity to <c>count</c>.
/// A refresh still running at the deadline is rolled back (RollbackInstanceRefresh) or cancelled; one that ended
/// Failed is undone the way AWS documents for a finished refresh: a new refresh to the previous numbered version.
/// </summary>
public sealed class AwsAsgRollout(GroupDefinition group, AwsQueryClient ec2, AwsQueryClient autoScaling, DeployJournal journal)
    : IGroupRollout
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    private AwsAsgDefinition Aws => group.Aws!;
    private string Label => $"{group.Environment}/{group.Name}";

    public async Task<GroupPlan> PlanAsync(string image, CancellationToken ct) =>
        Plan(await AwsGroupState.ReadAsync(group, ec2, autoScaling, ct), image);

    public GroupPlan Plan(AwsGroupState state, string image) =>
        CloudPlan.Make(group, image, AwsUserData.ImageOf(state.UserData) ?? "(user data not written by Pipeline)",
            state.UserData != AwsUserData.Script(group, image) ? $"launch template {Aws.LaunchTemplate} v{state.Version}" : null,
            "user data differs: env or port", (state.DesiredCapacity, "desired capacity"));

    public async Task<DeployOutcome> DeployAsync(string image, RolloutOptions options, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var id = DeployId.New(started, "aws");
        journal.Append(new(id, started, "start", To: image));
        var state = await AwsGroupState.ReadAsync(group, ec2, autoScaling, ct);
        var plan = Plan(state, image);
        var (ok, rolledBack, message) = (
            true,
            false,
            $"{Label}: {Aws.AutoScalingGroup} already runs {ImageResolver.Short(image)} on launch template v{state.Version}"
        );
        // Fencing: the deploy lock is still ours before the cloud is changed (the lock's loss propagates, no rollback).
        if (options.BeforeBatch is { } fence) await fence(ct);
        try
        {
            if (plan.Changes.Any(c => c.Kind == ChangeKind.Replace))
            {
                var created = await ec2.CallAsync("CreateLaunchTemplateVersion",
                [
                    new("LaunchTemplateName", Aws.LaunchTemplate), new("SourceVersion", state.Version),
                    new("ClientToken", Guid.NewGuid().ToString()), // idempotency: a retried call makes no second version
                    new("VersionDescription", $"pipeline {group.Environment}/{group.Name} {ImageResolver.Short(image)}"),
                    new("LaunchTemplateData.UserData", AwsUserData.Encode(AwsUserData.Script(group, image))),
                ], ct);
                var version = Value(created, "versionNumber")
                    ?? throw new PipelineException("AWS ec2 CreateLaunchTemplateVersion: no versionNumber in the answer");
                Log.Information($"  {Aws.LaunchTemplate}: launch template version {version} runs {ImageResolver.Short(image)}");
                journal.Append(new(id, DateTimeOffset.UtcNow, "replace", group.Name, state.Version, version));
                (ok, rolledBack, message) = await RefreshAsync(id, version, state, UpdateBudget.For(group, options), ct);
            }
            if (ok && state.DesiredCapacity != group.Count)
            {
                await autoScaling.CallAsync(
                    "SetDesiredCapacity",
                    [
                        new("AutoScalingGroupName", Aws.AutoScalingGroup),
                        new("DesiredCapacity", group.Count.ToString(CultureInfo.InvariantCulture)),
                        new("HonorCooldown", "false"),
                    ],
                    ct
                );
                Log.Information($"  {Aws.AutoScalingGroup}: desired capacity {state.DesiredCapacity} → {group.Count}");
                message += $"; desired capacity {state.DesiredCapacity} → {group.Count}";
            }
        }
        catch (PipelineException e) when (!ct.IsCancellationRequested)
        {
            (ok, message) = (false, $"{Label}: {e.Message}"); // an AWS refusal still leaves an audit record and a timeline
        }
        journal.Append(new(id, DateTimeOffset.UtcNow, ok ? "healthy" : "failed", group.Name, Detail: message));
        journal.Append(new(id, DateTimeOffset.UtcNow, "finished", Detail: ok ? "succeeded" : rolledBack ? "rolled back" : "halted"));
        return new DeployOutcome(id, ok, rolledBack, message, plan, started, DateTimeOffset.UtcNow);
    }

    private async Task<(bool Ok, bool RolledBack, string Message)> RefreshAsync(
        string deploy,
        string version,
        AwsGroupState state,
        UpdateBudget budget,
        CancellationToken ct
    )
    {
        var rollback = group.Rolling.OnFailure == FailureAction.Rollback;
        // AWS rolls back (automatically or on request) only to a numbered version the group was saved with.
        var awsCanRollBack = rollback && state.Numbered;
        var refresh = await StartAsync(version, budget, awsCanRollBack, ct);
        var (status, reason) = await WatchAsync(refresh, awsCanRollBack, ct);
        switch (status)
        {
            case "Successful": return (true, false, $"{Label}: instance refresh {refresh} succeeded ({Aws.LaunchTemplate} v{version})");
            case "RollbackSuccessful":
                return (false, true, $"{Label}: instance refresh {refresh} failed and was rolled back to "
                + $"v{state.Version}: {reason}");
            case "Failed" when rollback:
                Log.Warning($"  {refresh} failed ({reason}); starting an instance refresh back to launch template v{state.Version}");
                journal.Append(new(deploy, DateTimeOffset.UtcNow, "rollback", group.Name, version, state.Version, reason));
                var back = await StartAsync(state.Version, budget, autoRollback: false, ct);
                var (backStatus, backReason) = await WatchAsync(back, awsCanRollBack: false, ct);
                return backStatus == "Successful"
                    ? (
                        false,
                        true,
                        $"{Label}: instance refresh {refresh} failed ({reason}); instance refresh {back} restored v{state.Version}"
                    )
                    : (
                        false,
                        false,
                        $"{Label}: instance refresh {refresh} failed ({reason}); the refresh back to v{state.Version} ended {backStatus}: "
                        + $"{backReason}"
                    );
            default: return (false, false, $"{Label}: instance refresh {refresh} ended {status}: {reason}");
        }
    }

    private async Task<string> StartAsync(string version, UpdateBudget budget, bool autoRollback, CancellationToken ct)
    {
        var start = await autoScaling.CallAsync("StartInstanceRefresh", AwsRefreshRequest.Start(group, version, budget, autoRollback), ct);
        var id = Value(start, "InstanceRefreshId")
            ?? throw new PipelineException("AWS autoscaling StartInstanceRefresh: no InstanceRefreshId in the answer");
        Log.Information($"  {Aws.AutoScalingGroup}: instance refresh {id} to v{version} started");
        return id;
    }

    /// <summary>Polls until the refresh ends; past the deadline one still running is rolled back when AWS can, else cancelled.</summary>
    private async Task<(string Status, string Reason)> WatchAsync(string id, bool awsCanRollBack, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        var stopAsked = false;
        while (true)
        {
            var described = await autoScaling.CallAsync("DescribeInstanceRefreshes",
                [new("AutoScalingGroupName", Aws.AutoScalingGroup), new("InstanceRefreshIds.member.1", id)], ct);
            var refresh = Items(described, "InstanceRefreshes").FirstOrDefault();
            var status = Text(refresh, "Status") ?? "Unknown";
            var reason = Text(refresh, "StatusReason") ?? "";
            Log.Information($"  {id}: {status} {Text(refresh, "PercentageComplete") ?? "?"}% {reason}");
            if (status is "Successful" or "Failed" or "Cancelled" or "RollbackSuccessful" or "RollbackFailed") return (status, reason);
            if (DateTimeOffset.UtcNow > deadline && !stopAsked && status is "Pending" or "InProgress" or "Baking")
            {
                stopAsked = true;
                deadline = DateTimeOffset.UtcNow + Timeout;
                Log.Warning($"  {id} did not finish within {Timeout}; {(awsCanRollBack ? "rolling it back" : "cancelling it")}");
                await autoScaling.CallAsync(
                    awsCanRollBack ? "RollbackInstanceRefresh" : "CancelInstanceRefresh",
                    [new("AutoScalingGroupName", Aws.AutoScalingGroup)],
                    ct
                );
            }
            else if (DateTimeOffset.UtcNow > deadline && stopAsked)
                return (status, $"still {status} after the rollback or cancel was asked; see the console");
            await Task.Delay(PollInterval, ct);
        }
    }

    public async Task<IReadOnlyList<ObservedInstance>> MembersAsync(CancellationToken ct) =>
        await AwsGroupState.InstancesAsync(group, await AwsGroupState.ReadAsync(group, ec2, autoScaling, ct), ec2, ct);

    public Task<IReadOnlyList<ObservedInstance>> ServingAsync(IReadOnlyList<ObservedInstance> members, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ObservedInstance>>(members.Where(i => i.Running).ToList());

    public IReadOnlyList<JournalEntry> Journal(string deployId) => journal.Of(deployId);

    public Task AppendHostAuditAsync(string line, CancellationToken ct) => Task.CompletedTask;
}
