using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;

namespace Pipeline.Deploying;

/// <summary>The rollout of a docker or ssh group: Pipeline's own rolling engine over the group's provider and load balancer.</summary>
public sealed class RollingRollout(GroupDefinition group, IInstanceProvider provider, ILoadBalancer loadBalancer, DeployJournal journal,
    Func<string, CancellationToken, Task> appendHostAudit, IHealthProbe? probe = null) : IGroupRollout
{
    public async Task<GroupPlan> PlanAsync(string image, CancellationToken ct) =>
        GroupPlan.Make(group, image, await provider.ListAsync(ct));

    public Task<DeployOutcome> DeployAsync(string image, RolloutOptions options, CancellationToken ct) =>
        new RollingEngine(group, provider, loadBalancer, probe ?? new HttpHealthProbe(), journal)
        {
            BeforeBatch = options.BeforeBatch ?? (_ => Task.CompletedTask),
        }.RunAsync(image, options, ct);

    public Task<IReadOnlyList<ObservedInstance>> MembersAsync(CancellationToken ct) => provider.ListAsync(ct);

    public async Task<IReadOnlyList<ObservedInstance>> ServingAsync(IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        var serving = await loadBalancer.MembersAsync(ct);
        return members.Where(o => o.Running && (group.LoadBalancer is null || serving.GetValueOrDefault(o.Name))).ToList();
    }

    public IReadOnlyList<JournalEntry> Journal(string deployId) => journal.Of(deployId);

    public Task AppendHostAuditAsync(string line, CancellationToken ct) => appendHostAudit(line, ct);
}
