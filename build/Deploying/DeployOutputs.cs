using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Outputs;
using Pipeline.Deploying.Rolling;
using Pipeline.Engine;

namespace Pipeline.Deploying;

/// <summary>
/// What a group's deploy leaves behind, whatever its provider: the audit record (artifacts/deploy/, and the hosts' log
/// where the group keeps one), the timeline of its journal, file_sd of the members the rollout lists, and the etcd keys
/// of those in traffic.
/// </summary>
public sealed class DeployOutputs(DeployLayout layout)
{
    public async Task WriteAsync(GroupDefinition group, DeployOutcome outcome, IGroupRollout rollout, CancellationToken ct)
    {
        // Every file below goes through MaskedFile (and the host's line through the masker): a failure message that
        // quotes a secret_env value or a token leaves **** in the audit record, the timeline and the host's log.
        var directory = layout.Outputs;
        var audit = AuditRecord.From(outcome) with { Commit = layout.Commit };
        var stem = $"{group.Environment}-{group.Name}-{outcome.DeployId}";
        await MaskedFile.WriteAllTextAsync(Path.Combine(directory, $"{stem}.audit.json"), audit.ToJson(), ct);
        await MaskedFile.AppendAllTextAsync(Path.Combine(directory, "audit.jsonl"), audit.ToLine() + "\n", ct);
        if (group.Outputs.HostAuditLog is not null) await rollout.AppendHostAuditAsync(MaskedFile.Mask(audit.ToLine()), ct);
        var timeline = Path.Combine(directory, $"{stem}.timeline.html");
        await MaskedFile.WriteAllTextAsync(
            timeline,
            Timeline.Render(
                $"{group.Environment}/{group.Name} deploy {outcome.DeployId}: {audit.Result}",
                rollout.Journal(outcome.DeployId)
            ),
            ct
        );
        // One listing of the members serves both outputs.
        var members = group.Outputs.FileSd is not null || group.Outputs.Etcd is not null ? await rollout.MembersAsync(ct) : [];
        if (group.Outputs.FileSd is { } fileSd)
            FileSd.Write(layout.Resolve(fileSd), FileSd.Render(group, members));
        if (group.Outputs.Etcd is { } etcd)
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            await new EtcdOutput(http, etcd).PublishAsync(group, await rollout.ServingAsync(members, ct), ct);
        }
        Log.Information($"Audit record, timeline: {Path.GetRelativePath(layout.Root, timeline)}");
    }
}
