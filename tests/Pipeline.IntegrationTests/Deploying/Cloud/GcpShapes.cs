using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.IntegrationTests.Deploying.Cloud;

/// <summary>
/// What the <see cref="GcpCloudFake"/> checks before accepting a request, from the Compute Engine v1 reference:
/// an instance template needs a valid name, a machine type, a boot disk initialised from an image, a network
/// interface on a network or subnetwork, and well-formed service accounts and metadata; a group patch names existing
/// templates and uses the updatePolicy enums. The message reads like Compute Engine's ("Invalid value for field …").
/// </summary>
internal static partial class GcpShapes
{
    public static string? CheckTemplate(JsonNode? body)
    {
        if (body?["name"]?.GetValue<string>() is not { } name) return "Required field 'resource.name' not specified";
        if (!Name().IsMatch(name))
            return $"Invalid value for field 'resource.name': '{name}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{{0,61}}[a-z0-9])?)'";
        var p = body["properties"];
        if (p?["machineType"]?.GetValue<string>() is not { Length: > 0 })
            return "Required field 'resource.properties.machineType' not specified";
        if (p["disks"] is not JsonArray { Count: > 0 } disks || disks.Count(d => d?["boot"]?.GetValue<bool>() == true) != 1)
            return "Invalid value for field 'resource.properties.disks': exactly one boot disk is required";
        var boot = disks.First(d => d?["boot"]?.GetValue<bool>() == true)!;
        if (boot["initializeParams"]?["sourceImage"]?.GetValue<string>() is not { } image || !Image().IsMatch(image))
            return "Invalid value for field 'resource.properties.disks[0].initializeParams.sourceImage': a boot disk needs a source image "
                + "(projects/P/global/images/family/F)";
        if (boot["type"]?.GetValue<string>() is { } type && type is not ("PERSISTENT" or "SCRATCH"))
            return $"Invalid value for field 'resource.properties.disks[0].type': '{type}'";
        if (p["networkInterfaces"] is not JsonArray { Count: > 0 } nics || nics.Any(n => n?["network"] is null && n?["subnetwork"] is null))
            return "Invalid value for field 'resource.properties.networkInterfaces': at least one network interface on a network or "
                + "subnetwork is required";
        foreach (var account in p["serviceAccounts"] as JsonArray ?? [])
            if (account?["email"]?.GetValue<string>() is not { Length: > 0 })
                return "Required field 'resource.properties.serviceAccounts[0].email' not specified";
        foreach (var item in p["metadata"]?["items"] as JsonArray ?? [])
            if (item?["key"]?.GetValue<string>() is not { } key || !MetadataKey().IsMatch(key))
                return $"Invalid value for field 'resource.properties.metadata.items': key '{item?["key"]}'";
        foreach (var (key, _) in p["labels"] as JsonObject ?? [])
            if (!Label().IsMatch(key)) return $"Invalid value for field 'resource.properties.labels': '{key}'";
        return null;
    }

    private static readonly string[] V1UpdatePolicy =
    [
        "instanceRedistributionType",
        "maxSurge",
        "maxUnavailable",
        "minimalAction",
        "mostDisruptiveAllowedAction",
        "replacementMethod",
        "type",
    ];

    public static string? CheckPatch(JsonNode? body, IEnumerable<string> templates)
    {
        foreach (var version in body?["versions"] as JsonArray ?? [])
        {
            var template = version?["instanceTemplate"]?.GetValue<string>()?.Split('/')[^1];
            if (template is null || !templates.Contains(template))
                return $"Invalid value for field 'resource.versions[0].instanceTemplate': '{version?["instanceTemplate"]}'. The resource "
                    + $"was not found";
        }
        var policy = body?["updatePolicy"];
        if (policy is null) return null;
        if (policy.AsObject().Select(p => p.Key).FirstOrDefault(k => !V1UpdatePolicy.Contains(k)) is { } unknown)
            return $"Invalid JSON payload received. Unknown name \"{unknown}\" at 'resource.update_policy': Cannot find field.";
        string? Enum(string field, params string[] allowed) =>
            policy[field]?.GetValue<string>() is { } v && !allowed.Contains(v)
                ? $"Invalid value for field 'resource.updatePolicy.{field}': '{v}'"
                : null;
        var surge = policy["maxSurge"]?["fixed"]?.GetValue<int>();
        return Enum("type", "OPPORTUNISTIC", "PROACTIVE")
            ?? Enum("minimalAction", "NONE", "REFRESH", "RESTART", "REPLACE")
            ?? Enum("replacementMethod", "RECREATE", "SUBSTITUTE")
            ?? Enum("mostDisruptiveAllowedAction", "NONE", "REFRESH", "RESTART", "REPLACE")
            ?? (
                policy["replacementMethod"]?.GetValue<string>() == "RECREATE" && surge > 0
                    ? "Invalid value for field 'resource.updatePolicy.maxSurge': must be 0 with RECREATE"
                    : null
            )
            ?? (
                surge == 0 && policy["maxUnavailable"]?["fixed"]?.GetValue<int>() == 0
                    ? "Invalid value for field 'resource.updatePolicy': maxSurge and maxUnavailable cannot both be 0"
                    : null
            );
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex Name();

    [GeneratedRegex("^(https://www.googleapis.com/compute/v1/)?projects/[a-z0-9-]+/global/images/(family/)?[a-z0-9-]+$")]
    private static partial Regex Image();

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,128}$")]
    private static partial Regex MetadataKey();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$")]
    private static partial Regex Label();
}
