using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;

namespace Pipeline.Deploying;

/// <summary>
/// How one group is rolled out, chosen once per group by its provider kind (<see cref="GroupTarget.Rollout"/>):
/// Pipeline's rolling engine for docker and ssh, an instance refresh for aws-asg, a rolling update for gcp-mig.
/// Deployment plans, deploys and writes the outputs through this alone.
/// </summary>
public interface IGroupRollout
{
    /// <summary>What a deploy would change, compared with what runs now; no change when nothing differs.</summary>
    Task<GroupPlan> PlanAsync(string image, CancellationToken ct);

    Task<DeployOutcome> DeployAsync(string image, RolloutOptions options, CancellationToken ct);

    /// <summary>The group's members as they run now (file_sd, etcd).</summary>
    Task<IReadOnlyList<ObservedInstance>> MembersAsync(CancellationToken ct);

    /// <summary>Of <paramref name="members"/> (one listing), those that take traffic (etcd): with a load balancer of ours, those it
    /// serves.</summary>
    Task<IReadOnlyList<ObservedInstance>> ServingAsync(IReadOnlyList<ObservedInstance> members, CancellationToken ct);

    /// <summary>The steps of one deploy (timeline).</summary>
    IReadOnlyList<JournalEntry> Journal(string deployId);

    /// <summary>Appends the audit line where the group's hosts keep it (outputs/host_audit_log), if anywhere.</summary>
    Task AppendHostAuditAsync(string line, CancellationToken ct);
}
