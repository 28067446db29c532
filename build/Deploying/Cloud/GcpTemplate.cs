using Pipeline.Deploying.Definitions;
using Pipeline.Tools.Process;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// The instance template of a gcp-mig group (pure): a boot disk from the named image family (Container-Optimized OS by
/// default, which has docker and docker-credential-gcr), a network interface on the named network or subnetwork, the
/// service account with its scopes, labels, and metadata: the startup script that runs the container with its
/// <c>env</c>, the image (read back by Plan), and the <c>secret_env</c> as an env file the script fetches from the
/// metadata server into /run (tmpfs, mode 600), so secret values are in no script, log or serial console output.
/// Its name ends in a hash of all of that: same name, same template.
/// </summary>
public static partial class GcpTemplate
{
    public const string ImageKey = "pipeline-image";
    public const string SecretEnvKey = "pipeline-secret-env";

    public static JsonObject Resource(GroupDefinition group, string image)
    {
        var properties = Properties(group, image);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(properties.ToJsonString())))[..12];
        return new JsonObject
        {
            ["name"] = $"{group.Gcp!.TemplatePrefix}-{hash}",
            ["description"] = $"pipeline {group.Environment}/{group.Name}",
            ["properties"] = properties,
        };
    }

    public static string Name(GroupDefinition group, string image) => Resource(group, image)["name"]!.GetValue<string>();

    public static JsonObject Properties(GroupDefinition group, string image)
    {
        var gcp = group.Gcp!;
        var labels = new JsonObject { ["pipeline-env"] = group.Environment, ["pipeline-group"] = group.Name };
        foreach (var (k, v) in gcp.Labels) labels[k] = v;
        var items = new JsonArray(
            new JsonObject { ["key"] = "startup-script", ["value"] = StartupScript(group, image) },
            new JsonObject { ["key"] = ImageKey, ["value"] = image });
        if (group.SecretEnv.Count > 0)
            items.Add((JsonNode)new JsonObject { ["key"] = SecretEnvKey, ["value"] = Ssh.SshDockerCommands.EnvFile(group.SecretEnv) });
        var region = gcp.Zone[..gcp.Zone.LastIndexOf('-')];
        var nic = gcp.Subnetwork is { } s
            ? new JsonObject { ["subnetwork"] = s.Contains('/') ? s : $"projects/{gcp.Project}/regions/{region}/subnetworks/{s}" }
            : new JsonObject
            {
                ["network"] = gcp.Network.Contains('/') ? gcp.Network : $"projects/{gcp.Project}/global/networks/{gcp.Network}",
            };
        return new JsonObject
        {
            ["machineType"] = gcp.MachineType,
            ["labels"] = labels,
            ["disks"] = new JsonArray(new JsonObject
            {
                ["boot"] = true,
                ["autoDelete"] = true,
                ["type"] = "PERSISTENT",
                ["initializeParams"] = new JsonObject
                {
                    ["sourceImage"] = $"projects/{gcp.ImageProject}/global/images/family/{gcp.ImageFamily}",
                    ["diskSizeGb"] = gcp.DiskSizeGb.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            }),
            ["networkInterfaces"] = new JsonArray(nic),
            ["serviceAccounts"] = new JsonArray(
                new JsonObject { ["email"] = gcp.ServiceAccount, ["scopes"] = new JsonArray(gcp.Scopes.Select(x => (JsonNode)x).ToArray()) }
            ),
            ["metadata"] = new JsonObject { ["items"] = items },
        };
    }

    public static string StartupScript(GroupDefinition group, string image)
    {
        var name = $"pipeline-{group.Environment}-{group.Name}";
        var port = group.Ports.Container;
        var env = string.Concat(group.Env.Select(kv => $" -e {ShellQuoting.Quote($"{kv.Key}={kv.Value}")}"));
        var script = new StringBuilder("#!/bin/bash\nset -eu\nexport HOME=/var/lib/pipeline\nmkdir -p \"$HOME\"\n");
        if (GoogleRegistry().Match(image) is { Success: true } registry)
            script.Append($"docker-credential-gcr configure-docker --registries={registry.Groups["host"].Value}\n");
        return script
            .Append("umask 077\n")
            .Append(
                $"curl -sf -H 'Metadata-Flavor: Google' "
                + $"http://metadata.google.internal/computeMetadata/v1/instance/attributes/{SecretEnvKey} > /run/{name}.env || : > "
                    + $"/run/{name}.env\n"
            )
            .Append($"docker pull {ShellQuoting.Quote(image)}\n")
            .Append($"docker rm -f {name} 2>/dev/null || true\n")
            .Append(
                $"docker run -d --restart unless-stopped --name {name} -p {port}:{port}{env} --env-file /run/{name}.env "
                + $"{ShellQuoting.Quote(image)}\n"
            )
            .ToString();
    }

    /// <summary>The value of a metadata item of a template resource (or its properties), or null.</summary>
    public static string? Metadata(JsonNode? template, string key) =>
        ((template?["properties"] ?? template)?["metadata"]?["items"] as JsonArray)?
            .FirstOrDefault(i => i?["key"]?.GetValue<string>() == key)?["value"]?.GetValue<string>();

    [GeneratedRegex(@"^(?<host>([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io))/")]
    private static partial Regex GoogleRegistry();
}
