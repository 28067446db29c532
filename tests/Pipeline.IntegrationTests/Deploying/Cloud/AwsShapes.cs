using System.Text.RegularExpressions;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>
/// The members the <see cref="AwsCloudFake"/> accepts per action, from the API references of EC2 Auto Scaling
/// (2011-01-01) and EC2 (2016-11-15): which are required, which are enums, numbers, booleans; anything else is an
/// unknown member. A refusal names the member like AWS does (ValidationError / MissingParameter / InvalidParameterValue).
/// </summary>
internal static class AwsShapes
{
    private sealed record Member(
        string Pattern,
        string Type = "string",
        bool Required = false,
        string[]? Enum = null,
        int Min = int.MinValue,
        int Max = int.MaxValue
    );

    private static readonly Dictionary<string, Member[]> Actions = new()
    {
        ["autoscaling DescribeAutoScalingGroups"] =
            [new(@"AutoScalingGroupNames\.member\.\d+"), new("MaxRecords", "int", Min: 1, Max: 100), new("NextToken")],
        ["autoscaling SetDesiredCapacity"] =
            [new("AutoScalingGroupName", Required: true), new("DesiredCapacity", "int", true, Min: 0), new("HonorCooldown", "bool")],
        ["autoscaling StartInstanceRefresh"] =
        [
            new("AutoScalingGroupName", Required: true), new("Strategy", Enum: ["Rolling", "ReplaceRootVolume"]),
            new(@"DesiredConfiguration\.LaunchTemplate\.(LaunchTemplateName|LaunchTemplateId|Version)"),
            new(@"Preferences\.MinHealthyPercentage", "int", Min: 0, Max: 100),
            new(@"Preferences\.MaxHealthyPercentage", "int", Min: 100, Max: 200),
            new(@"Preferences\.InstanceWarmup", "int", Min: 0), new(@"Preferences\.CheckpointDelay", "int", Min: 0, Max: 172800),
            new(@"Preferences\.CheckpointPercentages\.member\.\d+", "int", Min: 0, Max: 100),
            new(@"Preferences\.(SkipMatching|AutoRollback)", "bool"),
            new(@"Preferences\.ScaleInProtectedInstances", Enum: ["Refresh", "Ignore", "Wait"]),
            new(@"Preferences\.StandbyInstances", Enum: ["Terminate", "Ignore", "Wait"]),
            new(@"Preferences\.AlarmSpecification\.Alarms\.member\.\d+"),
        ],
        ["autoscaling DescribeInstanceRefreshes"] =
        [
            new("AutoScalingGroupName", Required: true), new(@"InstanceRefreshIds\.member\.\d+"),
            new("MaxRecords", "int", Min: 1, Max: 100), new("NextToken"),
        ],
        ["autoscaling CancelInstanceRefresh"] = [new("AutoScalingGroupName", Required: true)],
        ["autoscaling RollbackInstanceRefresh"] = [new("AutoScalingGroupName", Required: true)],
        ["ec2 CreateLaunchTemplateVersion"] =
        [
            new("LaunchTemplateName"), new("LaunchTemplateId"), new("SourceVersion"), new("VersionDescription"), new("ClientToken"),
            new("DryRun", "bool"),
            new(@"LaunchTemplateData\.(UserData|ImageId|InstanceType)", Required: true),
        ],
        ["ec2 DescribeLaunchTemplateVersions"] =
        [
            new("LaunchTemplateName"), new("LaunchTemplateId"), new(@"LaunchTemplateVersion\.\d+"),
            new("MaxResults", "int", Min: 1, Max: 200), new("DryRun", "bool"),
        ],
        ["ec2 DescribeInstances"] =
            [new(@"InstanceId\.\d+"), new("MaxResults", "int", Min: 5, Max: 1000), new("NextToken"), new("DryRun", "bool")],
    };

    public static (string Code, string Message)? Check(string service, IReadOnlyDictionary<string, string> form)
    {
        var action = form.GetValueOrDefault("Action", "");
        if (!Actions.TryGetValue($"{service} {action}", out var members))
            return ("InvalidAction", $"The action {action} is not valid for this web service.");
        var ec2 = service == "ec2";
        foreach (var (key, value) in form.Where(p => p.Key is not ("Action" or "Version")))
        {
            var member = members.FirstOrDefault(m => Regex.IsMatch(key, $"^{m.Pattern}$"));
            if (member is null) return (ec2 ? "UnknownParameter" : "ValidationError", $"The parameter {key} is not recognized");
            var wrong = member.Type switch
            {
                "int" => !int.TryParse(value, out var n) ? "must be an integer"
                : n < member.Min || n > member.Max ? $"must be between {member.Min} and {member.Max}"
                : null,
                "bool" => value is "true" or "false" ? null : "must be true or false",
                _ => member.Enum is { } e && !e.Contains(value) ? $"must be one of {string.Join(", ", e)}" : null,
            };
            if (wrong is not null)
                return (
                    ec2 ? "InvalidParameterValue" : "ValidationError",
                    $"1 validation error detected: Value '{value}' at '{key}' failed to satisfy constraint: Member {wrong}"
                );
        }
        foreach (var required in members.Where(m => m.Required))
            if (!form.Keys.Any(k => Regex.IsMatch(k, $"^{required.Pattern}$")))
                return (
                    ec2 ? "MissingParameter" : "ValidationError",
                    $"1 validation error detected: Value null at '{required.Pattern.Replace("\\", "")}' failed to satisfy constraint: "
                    + $"Member must not be null"
                );
        if (action == "CreateLaunchTemplateVersion" && !form.ContainsKey("LaunchTemplateName") && !form.ContainsKey("LaunchTemplateId"))
            return ("MissingParameter", "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
        if (action == "DescribeLaunchTemplateVersions" && !form.ContainsKey("LaunchTemplateName") && !form.ContainsKey("LaunchTemplateId"))
            return ("MissingParameter", "The request must contain the parameter LaunchTemplateName or LaunchTemplateId");
        return null;
    }
}
