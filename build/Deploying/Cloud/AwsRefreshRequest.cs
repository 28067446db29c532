using Pipeline.Deploying.Definitions;
using System.Globalization;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// StartInstanceRefresh's parameters for a group (Query form, <c>Preferences.…</c>): Rolling to a numbered launch
/// template version (DesiredConfiguration), MinHealthyPercentage/MaxHealthyPercentage from the update budget,
/// InstanceWarmup, SkipMatching, CheckpointPercentages with rolling/bake as CheckpointDelay, AutoRollback and the
/// group's CloudWatch alarms (AlarmSpecification). Pure.
/// </summary>
public static class AwsRefreshRequest
{
    public static IReadOnlyList<KeyValuePair<string, string>> Start(
        GroupDefinition group,
        string version,
        UpdateBudget budget,
        bool autoRollback
    )
    {
        var aws = group.Aws!;
        var p = new List<KeyValuePair<string, string>>
        {
            new("AutoScalingGroupName", aws.AutoScalingGroup), new("Strategy", "Rolling"),
            new("DesiredConfiguration.LaunchTemplate.LaunchTemplateName", aws.LaunchTemplate),
            new("DesiredConfiguration.LaunchTemplate.Version", version),
            new("Preferences.MinHealthyPercentage", Number(budget.MinHealthyPercent)),
            new("Preferences.InstanceWarmup", Number((int)group.Rolling.Warmup.TotalSeconds)),
            new("Preferences.SkipMatching", "true"),
            new("Preferences.AutoRollback", autoRollback ? "true" : "false"),
        };
        if (budget.Surge > 0) p.Add(new("Preferences.MaxHealthyPercentage", Number(budget.MaxHealthyPercent)));
        for (var i = 0; i < aws.Checkpoints.Count; i++)
            p.Add(new($"Preferences.CheckpointPercentages.member.{i + 1}", Number(aws.Checkpoints[i])));
        if (aws.Checkpoints.Count > 0) p.Add(new("Preferences.CheckpointDelay", Number((int)group.Rolling.Bake.TotalSeconds)));
        for (var i = 0; i < aws.Alarms.Count; i++)
            p.Add(new($"Preferences.AlarmSpecification.Alarms.member.{i + 1}", aws.Alarms[i]));
        return p;
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
