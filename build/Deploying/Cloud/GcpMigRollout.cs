using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;
using Pipeline.Tools.Gcp;
using System.Text.Json.Nodes;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// A gcp-mig group's rollout through Compute Engine: Plan compares the group's instance template (named by a hash of
/// its content, <see cref="GcpTemplate"/>) and target size with the desired ones; Deploy inserts the template, patches
/// the manager with the new version, <c>count</c> as targetSize and an updatePolicy from the update budget (PROACTIVE,
/// maxSurge, maxUnavailable), waits on each call's Operation, then polls until the group is stable on the
/// new version. One that does not get there in time is patched back to the previous template.
/// </summary>
public sealed class GcpMigRollout(GroupDefinition group, GcpComputeClient compute, DeployJournal journal) : IGroupRollout
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan? Timeout { get; init; }

    private GcpMigDefinition Gcp => group.Gcp!;
    private string Manager => $"/zones/{Gcp.Zone}/instanceGroupManagers/{Gcp.InstanceGroupManager}";
    private string Label => $"{group.Environment}/{group.Name}";

    private sealed record State(string Template, int TargetSize)
    {
        /// <summary>The template's name (the last segment of its URL).</summary>
        public string Name => Template.Split('/')[^1];
    }

    private async Task<State> StateAsync(CancellationToken ct)
    {
        var manager = await compute.GetAsync(Manager, ct);
        var template = manager?["versions"]?[0]?["instanceTemplate"]?.GetValue<string>() ?? manager?["instanceTemplate"]?.GetValue<string>()
            ?? throw new PipelineException($"GCP {Gcp.InstanceGroupManager}: no current instance template");
        return new State(template, manager?["targetSize"]?.GetValue<int>() ?? 0);
    }

    public async Task<GroupPlan> PlanAsync(string image, CancellationToken ct) => await PlanAsync(await StateAsync(ct), image, ct);

    private async Task<GroupPlan> PlanAsync(State state, string image, CancellationToken ct)
    {
        var current = state.Name;
        var desired = GcpTemplate.Name(group, image);
        var running = GcpTemplate.Metadata(await compute.GetAsync($"/global/instanceTemplates/{current}", ct), GcpTemplate.ImageKey)
            ?? "(template not written by Pipeline)";
        return CloudPlan.Make(group, image, running, current != desired ? $"instance template {current} → {desired}" : null,
            "template differs: env, secret_env, port or gcp settings", (state.TargetSize, "target size"));
    }

    public async Task<DeployOutcome> DeployAsync(string image, RolloutOptions options, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var id = DeployId.New(started, "gcp");
        journal.Append(new(id, started, "start", To: image));
        var state = await StateAsync(ct);
        var plan = await PlanAsync(state, image, ct);
        var budget = UpdateBudget.For(group, options);
        var (ok, rolledBack, message) = (true, false, $"{Label}: {Gcp.InstanceGroupManager} already runs {state.Name} × {group.Count}");
        // Fencing: the deploy lock is still ours before the cloud is changed (the lock's loss propagates, no rollback).
        if (options.BeforeBatch is { } fence) await fence(ct);
        try
        {
            if (plan.HasChanges)
            {
                var resource = GcpTemplate.Resource(group, image);
                var name = resource["name"]!.GetValue<string>();
                var template = $"projects/{Gcp.Project}/global/instanceTemplates/{name}";
                if (plan.Changes.Any(c => c.Kind == ChangeKind.Replace)) await InsertAsync(resource, ct);
                journal.Append(new(id, DateTimeOffset.UtcNow, "replace", group.Name, state.Name, name));
                await PatchAsync(template, budget, ct);
                if (await WaitStableAsync(ct)) message = $"{Label}: {Gcp.InstanceGroupManager} runs {name} × {group.Count}";
                else
                {
                    Log.Warning($"  {Gcp.InstanceGroupManager} did not become stable on {name} in time; patching {state.Name} back");
                    journal.Append(new(id, DateTimeOffset.UtcNow, "rollback", group.Name, name, state.Name));
                    await PatchAsync(state.Template, budget, ct);
                    rolledBack = await WaitStableAsync(ct);
                    (ok, message) = (false, $"{Label}: {Gcp.InstanceGroupManager} did not become stable on {name}; " +
                        (rolledBack ? $"rolled back to {state.Name}" : "the rollback did not become stable either"));
                }
            }
        }
        catch (PipelineException e) when (!ct.IsCancellationRequested)
        {
            (ok, message) = (false, $"{Label}: {e.Message}");
        }
        journal.Append(new(id, DateTimeOffset.UtcNow, ok ? "healthy" : "failed", group.Name, Detail: message));
        journal.Append(new(id, DateTimeOffset.UtcNow, "finished", Detail: ok ? "succeeded" : rolledBack ? "rolled back" : "halted"));
        return new DeployOutcome(id, ok, rolledBack, message, plan, started, DateTimeOffset.UtcNow);
    }

    private async Task InsertAsync(JsonObject resource, CancellationToken ct)
    {
        var name = resource["name"]!.GetValue<string>();
        try
        {
            await compute.MutateAsync(HttpMethod.Post, "/global/instanceTemplates", resource, ct);
            Log.Information($"  instance template {name} created");
        }
        catch (GcpApiException e) when (e.Status == 409)
        {
            Log.Information($"  instance template {name} exists already (same content: its name is its hash)"); // e.g. after a rollback
        }
    }

    public JsonObject PatchBody(string template, UpdateBudget budget) => new()
    {
        ["versions"] = new JsonArray(new JsonObject { ["instanceTemplate"] = template }),
        ["targetSize"] = group.Count,
        ["updatePolicy"] = new JsonObject
        {
            ["type"] = "PROACTIVE",
            ["minimalAction"] = "REPLACE",
            ["maxSurge"] = new JsonObject { ["fixed"] = budget.Surge },
            ["maxUnavailable"] = new JsonObject { ["fixed"] = budget.Unavailable },
            ["replacementMethod"] = budget.Surge > 0 ? "SUBSTITUTE" : "RECREATE",
        },
    };

    private async Task PatchAsync(string template, UpdateBudget budget, CancellationToken ct)
    {
        await compute.MutateAsync(HttpMethod.Patch, Manager, PatchBody(template, budget), ct);
        Log.Information($"  {Gcp.InstanceGroupManager}: patched to {template.Split('/')[^1]} × {group.Count}");
    }

    private async Task<bool> WaitStableAsync(CancellationToken ct)
    {
        var batches = Math.Max(1, (int)Math.Ceiling(group.Count / (double)group.Rolling.EffectiveBatch(Math.Max(1, group.Count))));
        var deadline =
            DateTimeOffset.UtcNow + (Timeout ?? (group.Health.StartTimeout + group.Rolling.Warmup) * batches + group.Rolling.Bake);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var status = (await compute.GetAsync(Manager, ct))?["status"];
            if (status?["isStable"]?.GetValue<bool>() == true && status["versionTarget"]?["isReached"]?.GetValue<bool>() == true)
                return true;
            await Task.Delay(PollInterval, ct);
        }
        return false;
    }

    public async Task<IReadOnlyList<ObservedInstance>> MembersAsync(CancellationToken ct)
    {
        var state = await StateAsync(ct);
        var image = GcpTemplate.Metadata(await compute.GetAsync($"/global/instanceTemplates/{state.Name}", ct), GcpTemplate.ImageKey) ?? "";
        var listed = await compute.SendAsync(HttpMethod.Post, $"{Manager}/listManagedInstances", null, ct);
        var members = new List<ObservedInstance>();
        foreach (var managed in listed?["managedInstances"] as JsonArray ?? [])
        {
            var name = managed?["instance"]?.GetValue<string>()?.Split('/')[^1];
            if (name is null) continue;
            var instance = await compute.GetAsync($"/zones/{Gcp.Zone}/instances/{name}", ct);
            var ip = instance?["networkInterfaces"]?[0]?["networkIP"]?.GetValue<string>();
            if (ip is null) continue;
            members.Add(
                new ObservedInstance(
                    name,
                    members.Count + 1,
                    image,
                    "",
                    $"{ip}:{group.Ports.Container}",
                    managed?["instanceStatus"]?.GetValue<string>() == "RUNNING"
                )
            );
        }
        return members;
    }

    public Task<IReadOnlyList<ObservedInstance>> ServingAsync(IReadOnlyList<ObservedInstance> members, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ObservedInstance>>(members.Where(i => i.Running).ToList());

    public IReadOnlyList<JournalEntry> Journal(string deployId) => journal.Of(deployId);

    public Task AppendHostAuditAsync(string line, CancellationToken ct) => Task.CompletedTask;
}
