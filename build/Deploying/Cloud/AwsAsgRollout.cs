using System.Globalization;
using System.Text;
using Pipeline.Deploying.Definitions;
using Pipeline.Engine;

namespace Pipeline.Deploying.Cloud;

/// <summary>How an instance refresh ended.</summary>
public sealed record CloudRolloutResult(bool Succeeded, bool RolledBack, string Message);

/// <summary>
/// An aws-asg group's rollout, done by AWS itself with the group's rolling policy: a new launch template version
/// whose user data runs the image, then StartInstanceRefresh (MinHealthyPercentage, InstanceWarmup,
/// CheckpointPercentages, AutoRollback, SkipMatching), polled with DescribeInstanceRefreshes; a failed refresh is
/// rolled back (RollbackInstanceRefresh) when AWS did not already, one that outlasts the timeout is cancelled.
/// </summary>
public sealed class AwsAsgRollout(GroupDefinition group, AwsQueryClient ec2, AwsQueryClient autoScaling)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    private AwsAsgDefinition Aws => group.Aws!;

    public async Task<CloudRolloutResult> RunAsync(string image, CancellationToken ct)
    {
        var template = await ec2.CallAsync("CreateLaunchTemplateVersion",
        [
            new("LaunchTemplateName", Aws.LaunchTemplate), new("SourceVersion", "$Latest"),
            new("VersionDescription", $"pipeline {group.Environment}/{group.Name} {image}"),
            new("LaunchTemplateData.UserData", Convert.ToBase64String(Encoding.UTF8.GetBytes(UserData(image)))),
        ], ct);
        var version = AwsQueryClient.Value(template, "versionNumber") ?? throw new PipelineException("AWS ec2 CreateLaunchTemplateVersion: no versionNumber in the answer");
        Log.Information($"  {Aws.LaunchTemplate}: launch template version {version} runs {image}");

        var start = await autoScaling.CallAsync("StartInstanceRefresh", StartParameters(version), ct);
        var id = AwsQueryClient.Value(start, "InstanceRefreshId") ?? throw new PipelineException("AWS autoscaling StartInstanceRefresh: no InstanceRefreshId");
        Log.Information($"  {Aws.AutoScalingGroup}: instance refresh {id} started");

        var deadline = DateTimeOffset.UtcNow + Timeout;
        var rollbackAsked = false;
        while (true)
        {
            var described = await autoScaling.CallAsync("DescribeInstanceRefreshes",
                [new("AutoScalingGroupName", Aws.AutoScalingGroup), new("InstanceRefreshIds.member.1", id)], ct);
            var status = AwsQueryClient.Value(described, "Status") ?? "Unknown";
            var reason = AwsQueryClient.Value(described, "StatusReason") ?? "";
            Log.Information($"  {id}: {status} {AwsQueryClient.Value(described, "PercentageComplete") ?? "?"}% {reason}");
            switch (status)
            {
                case "Successful": return new(true, false, $"{group.Environment}/{group.Name}: instance refresh {id} succeeded ({image})");
                case "RollbackSuccessful": return new(false, true, $"{group.Environment}/{group.Name}: instance refresh {id} failed and was rolled back: {reason}");
                case "RollbackFailed": return new(false, false, $"{group.Environment}/{group.Name}: instance refresh {id} failed and its rollback failed too: {reason}");
                case "Cancelled": return new(false, false, $"{group.Environment}/{group.Name}: instance refresh {id} was cancelled: {reason}");
                case "Failed" when group.Rolling.OnFailure == FailureAction.Rollback && !rollbackAsked:
                    Log.Warning($"  {id} failed ({reason}); asking AWS to roll it back");
                    await autoScaling.CallAsync("RollbackInstanceRefresh", [new("AutoScalingGroupName", Aws.AutoScalingGroup)], ct);
                    rollbackAsked = true;
                    break;
                case "Failed": return new(false, false, $"{group.Environment}/{group.Name}: instance refresh {id} failed: {reason}");
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                await autoScaling.CallAsync("CancelInstanceRefresh", [new("AutoScalingGroupName", Aws.AutoScalingGroup)], ct);
                return new(false, false, $"{group.Environment}/{group.Name}: instance refresh {id} did not finish within {Timeout}; cancelled");
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    public IReadOnlyList<KeyValuePair<string, string>> StartParameters(string version)
    {
        var p = new List<KeyValuePair<string, string>>
        {
            new("AutoScalingGroupName", Aws.AutoScalingGroup), new("Strategy", "Rolling"),
            new("DesiredConfiguration.LaunchTemplate.LaunchTemplateName", Aws.LaunchTemplate),
            new("DesiredConfiguration.LaunchTemplate.Version", version),
            new("Preferences.MinHealthyPercentage", group.Rolling.MinHealthyPercent.ToString(CultureInfo.InvariantCulture)),
            new("Preferences.InstanceWarmup", ((int)group.Rolling.Warmup.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            new("Preferences.SkipMatching", "true"),
            new("Preferences.AutoRollback", group.Rolling.OnFailure == FailureAction.Rollback ? "true" : "false"),
        };
        if (group.Rolling.MaxSurge > 0 && group.Count > 0)
            p.Add(new("Preferences.MaxHealthyPercentage", (100 + (int)Math.Ceiling(100.0 * group.Rolling.MaxSurge / group.Count)).ToString(CultureInfo.InvariantCulture)));
        for (var i = 0; i < Aws.Checkpoints.Count; i++)
            p.Add(new($"Preferences.CheckpointPercentages.member.{i + 1}", Aws.Checkpoints[i].ToString(CultureInfo.InvariantCulture)));
        if (Aws.Checkpoints.Count > 0)
            p.Add(new("Preferences.CheckpointDelay", ((int)group.Rolling.Bake.TotalSeconds).ToString(CultureInfo.InvariantCulture)));
        return p;
    }

    /// <summary>Cloud-init user data: run the image with the group's port and environment (secrets belong in the instance profile's store).</summary>
    public string UserData(string image)
    {
        var env = string.Concat(group.Env.Select(kv => $" -e {Tools.Process.ShellQuoting.Quote($"{kv.Key}={kv.Value}")}"));
        return $"#!/bin/sh\nset -e\ndocker pull {Tools.Process.ShellQuoting.Quote(image)}\n" +
               $"docker run -d --restart unless-stopped --name {group.Name} -p {group.Ports.Container}:{group.Ports.Container}{env} {Tools.Process.ShellQuoting.Quote(image)}\n";
    }
}
