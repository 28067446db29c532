using Pipeline.Deploying.Definitions;
using Pipeline.Tools.Process;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// The user data of an aws-asg launch template version: a shell script that makes sure docker runs, logs in to ECR
/// with the instance role when the image is in ECR (<c>aws ecr get-login-password | docker login</c>), pulls the image
/// and runs it with the group's port and <c>env</c>. Pure text; <see cref="ImageOf"/> reads the image back for Plan.
/// </summary>
public static partial class AwsUserData
{
    public static string Script(GroupDefinition group, string image)
    {
        var name = $"pipeline-{group.Environment}-{group.Name}";
        var port = group.Ports.Container;
        var env = string.Concat(group.Env.Select(kv => $" -e {ShellQuoting.Quote($"{kv.Key}={kv.Value}")}"));
        var script = new StringBuilder("#!/bin/sh\nset -e\n")
            .Append("command -v docker >/dev/null || { dnf install -y docker || yum install -y docker; }\n")
            .Append("systemctl enable --now docker\n");
        if (EcrRegistry(image) is { } ecr)
            script.Append($"aws ecr get-login-password --region {ecr.Region} | docker login --username AWS --password-stdin {ecr.Host}\n");
        return script
            .Append($"docker pull {ShellQuoting.Quote(image)}\n")
            .Append($"docker rm -f {name} 2>/dev/null || true\n")
            .Append($"docker run -d --restart unless-stopped --name {name} -p {port}:{port}{env} {ShellQuoting.Quote(image)}\n")
            .ToString();
    }

    public static string Encode(string script) => Convert.ToBase64String(Encoding.UTF8.GetBytes(script));

    public static string Decode(string? base64)
    {
        if (string.IsNullOrEmpty(base64)) return "";
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(base64)); }
        catch (FormatException) { return ""; }
    }

    /// <summary>An ECR image's registry host and region (<c>123456789012.dkr.ecr.eu-west-1.amazonaws.com/…</c>), else null.</summary>
    public static (string Host, string Region)? EcrRegistry(string image) =>
        Ecr().Match(image) is { Success: true } m ? (m.Groups["host"].Value, m.Groups["region"].Value) : null;

    /// <summary>The image a user data script pulls (the last <c>docker pull</c>), or null for a script Pipeline did not write.</summary>
    public static string? ImageOf(string script) =>
        Pull().Matches(script).LastOrDefault() is { } m ? m.Groups["image"].Value.Trim('\'') : null;

    [GeneratedRegex(@"^(?<host>\d{12}\.dkr\.ecr(-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?)/")]
    private static partial Regex Ecr();

    [GeneratedRegex(@"^docker pull (?<image>\S+)$", RegexOptions.Multiline)]
    private static partial Regex Pull();
}
