using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Locking;
using Pipeline.Deploying.Outputs;
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
public sealed class Deployment(string root, EnvironmentDeployment environment, string? onlyGroup = null)
{
    private IEnumerable<GroupDefinition> Groups => onlyGroup is null ? environment.Groups : [environment.Group(onlyGroup)];
    private readonly ImageResolver _images = new(Path.Combine(root, "artifacts"));

    public async Task<IReadOnlyList<GroupPlan>> PlanAsync(CancellationToken ct)
    {
        await using var targets = new GroupTarget(root, _images);
        var plans = new List<GroupPlan>();
        foreach (var group in Groups)
        {
            var image = _images.Resolve(group);
            if (group.Provider is ProviderKind.AwsAsg or ProviderKind.GcpMig)
            {
                Log.Information($"~ {group.Name}  {Engine.Parameters.Naming.Kebab(group.Provider.ToString())} → {ImageResolver.Short(image)} (the cloud replaces instances that do not match)");
                plans.Add(new GroupPlan(group, image, [new InstanceChange(ChangeKind.Replace, group.Name, 0, null, image, "cloud rollout")]));
                continue;
            }
            var plan = GroupPlan.Make(group, image, await targets.Provider(group).ListAsync(ct));
            foreach (var line in plan.Lines()) Log.Information(line);
            Log.Information(plan.Summary());
            plans.Add(plan);
        }
        return plans;
    }

    public async Task<IReadOnlyList<DeployOutcome>> DeployAsync(DeployRequest request, CancellationToken ct)
    {
        await using var targets = new GroupTarget(root, _images);
        var groups = Groups.Select(g => (Group: g, Image: _images.Resolve(g))).ToList();
        var version = string.Join(", ", groups.Select(g => $"{g.Group.Name}={ImageResolver.Short(g.Image)}"));
        await using var held = await DeployLock.AcquireAsync(targets.LockStore(environment), environment.Environment, version, environment.Lock.Ttl, request.LockWait, ct);
        var outcomes = new List<DeployOutcome>();
        foreach (var (group, image) in groups)
        {
            await held.EnsureHeldAsync(ct);
            if (group.Provider is ProviderKind.AwsAsg or ProviderKind.GcpMig)
            {
                var started = DateTimeOffset.UtcNow;
                var result = group.Provider == ProviderKind.AwsAsg ? await targets.AwsRollout(group).RunAsync(image, ct) : await targets.GcpRollout(group).RunAsync(image, ct);
                outcomes.Add(new DeployOutcome("cloud-" + started.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture), result.Succeeded, result.RolledBack, result.Message,
                    new GroupPlan(group, image, []), started, DateTimeOffset.UtcNow));
                if (!result.Succeeded) break;
                continue;
            }
            var provider = targets.Provider(group);
            var journal = new DeployJournal(targets.JournalPath(group));
            var outcome = await new RollingEngine(group, provider, targets.LoadBalancer(group), new HttpHealthProbe(), journal) { BeforeBatch = held.EnsureHeldAsync }.RunAsync(image, request.Rollout, ct);
            await WriteOutputsAsync(group, outcome, provider, journal, targets, ct);
            outcomes.Add(outcome);
            if (!outcome.Succeeded) break;
        }
        return outcomes;
    }

    public async Task<LockHolder> UnlockAsync(string nonce, CancellationToken ct)
    {
        await using var targets = new GroupTarget(root, _images);
        return await DeployLock.ForceRemoveAsync(targets.LockStore(environment), nonce, ct);
    }

    private async Task WriteOutputsAsync(GroupDefinition group, DeployOutcome outcome, IInstanceProvider provider, DeployJournal journal, GroupTarget targets, CancellationToken ct)
    {
        var directory = Path.Combine(root, "artifacts", "deploy");
        Directory.CreateDirectory(directory);
        var audit = AuditRecord.From(outcome);
        var stem = $"{group.Environment}-{group.Name}-{outcome.DeployId}";
        await File.WriteAllTextAsync(Path.Combine(directory, $"{stem}.audit.json"), Secrets.Mask(audit.ToJson()), ct);
        await File.AppendAllTextAsync(Path.Combine(directory, "audit.jsonl"), Secrets.Mask(audit.ToLine()) + "\n", ct);
        if (group.Outputs.HostAuditLog is { } hostLog && group.Provider == ProviderKind.Docker)
        {
            var path = targets.Rooted(hostLog);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.AppendAllTextAsync(path, Secrets.Mask(audit.ToLine()) + "\n", ct);
        }
        if (group.Outputs.HostAuditLog is { } remoteLog && group.Provider == ProviderKind.Ssh)
            foreach (var host in targets.SshHosts(group))
                await Ssh.SshLockStore.AppendAsync(host, remoteLog, Secrets.Mask(audit.ToLine()), ct);
        var timeline = Path.Combine(directory, $"{stem}.timeline.html");
        await File.WriteAllTextAsync(timeline, Timeline.Render($"{group.Environment}/{group.Name} deploy {outcome.DeployId}: {audit.Result}", journal.Of(outcome.DeployId)), ct);
        var instances = group.Outputs.FileSd is not null || group.Outputs.Etcd is not null ? await provider.ListAsync(ct) : (IReadOnlyList<ObservedInstance>)[];
        if (group.Outputs.FileSd is { } fileSd)
            FileSd.Write(targets.Rooted(fileSd), FileSd.Render(group, instances));
        if (group.Outputs.Etcd is { } etcd)
        {
            var serving = await targets.LoadBalancer(group).MembersAsync(ct);
            var members = instances.Where(o => o.Running && (group.LoadBalancer is null || serving.GetValueOrDefault(o.Name))).ToList();
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            await new EtcdOutput(http, etcd).PublishAsync(group, members, ct);
        }
        Log.Information($"Audit record, timeline: {Path.GetRelativePath(root, timeline)}");
    }
}
