using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;
using Pipeline.Tools.Aws;
using System.Globalization;
using static Pipeline.Tools.Aws.AwsQueryClient;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// What an Auto Scaling group runs now: its launch template version resolved to a number (DescribeAutoScalingGroups,
/// DescribeLaunchTemplateVersions), that version's user data, the desired capacity and the in-service instances.
/// </summary>
/// <param name="Numbered">The group names a version number (not $Latest/$Default): only then can AWS roll back to it.</param>
public sealed record AwsGroupState(string Version, bool Numbered, string UserData, int DesiredCapacity, IReadOnlyList<string> InstanceIds)
{
    public static async Task<AwsGroupState> ReadAsync(
        GroupDefinition group,
        AwsQueryClient ec2,
        AwsQueryClient autoScaling,
        CancellationToken ct
    )
    {
        var aws = group.Aws!;
        var described = await autoScaling.CallAsync(
            "DescribeAutoScalingGroups",
            [new("AutoScalingGroupNames.member.1", aws.AutoScalingGroup)],
            ct
        );
        var asg = Items(described, "AutoScalingGroups").FirstOrDefault()
            ?? throw new PipelineException(
                $"AWS: there is no Auto Scaling group {aws.AutoScalingGroup} in {aws.Region}; create it with launch template "
                + $"{aws.LaunchTemplate} first (README: aws-asg, first deploy)"
            );
        var template = Child(asg, "LaunchTemplate")
            ?? throw new PipelineException(
                $"AWS: {aws.AutoScalingGroup} does not run a launch template (a launch configuration or mixed instances policy is not "
                + $"supported); give it {aws.LaunchTemplate}"
            );
        if (Text(template, "LaunchTemplateName") is { } name && name != aws.LaunchTemplate)
            throw new PipelineException(
                $"AWS: {aws.AutoScalingGroup} runs launch template {name}, not {aws.LaunchTemplate} "
                + $"(groups/{group.Name}/aws/launch_template)"
            );
        var version = Text(template, "Version") ?? "$Default";
        var versions = await ec2.CallAsync(
            "DescribeLaunchTemplateVersions",
            [new("LaunchTemplateName", aws.LaunchTemplate), new("LaunchTemplateVersion.1", version)],
            ct
        );
        var item = Items(versions, "launchTemplateVersionSet").FirstOrDefault()
            ?? throw new PipelineException($"AWS: launch template {aws.LaunchTemplate} has no version {version}");
        var instances = Items(asg, "Instances")
            .Where(i => Text(i, "LifecycleState") is "InService" or "Pending" or "Pending:Wait" or "Pending:Proceed")
            .Select(i => Text(i, "InstanceId")!)
            .Where(i => i is not null)
            .ToList();
        return new AwsGroupState(Text(item, "versionNumber") ?? version, version.All(char.IsAsciiDigit),
            AwsUserData.Decode(Value(Child(item, "launchTemplateData"), "userData")),
            int.Parse(Text(asg, "DesiredCapacity") ?? "0", CultureInfo.InvariantCulture), instances);
    }

    /// <summary>The group's instances with their private addresses (DescribeInstances), on ports/container.</summary>
    public static async Task<IReadOnlyList<ObservedInstance>> InstancesAsync(
        GroupDefinition group,
        AwsGroupState state,
        AwsQueryClient ec2,
        CancellationToken ct
    )
    {
        if (state.InstanceIds.Count == 0) return [];
        var described = await ec2.CallAsync(
            "DescribeInstances",
            state.InstanceIds.Select((id, i) => new KeyValuePair<string, string>($"InstanceId.{i + 1}", id)),
            ct
        );
        var image = AwsUserData.ImageOf(state.UserData) ?? "";
        return described
            .Descendants()
            .Where(e => e.Name.LocalName == "instancesSet")
            .SelectMany(s => s.Elements())
            .Select(i =>
                (Id: Text(i, "instanceId") ?? "", Ip: Text(i, "privateIpAddress"), State: Value(Child(i, "instanceState"), "name"))
            )
            .Where(i => i.Ip is not null)
            .OrderBy(i => state.InstanceIds.ToList().IndexOf(i.Id))
            .Select((i, n) => new ObservedInstance(i.Id, n + 1, image, "", $"{i.Ip}:{group.Ports.Container}", i.State == "running"))
            .ToList();
    }
}
