using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Deploying.Definitions;
using Pipeline.Engine;

namespace Pipeline.Deploying.Cloud;

/// <summary>
/// A gcp-mig group's rollout through the Compute Engine REST API (v1): an instance template whose startup script runs
/// the image, then instanceGroupManagers.patch with the new version and an updatePolicy from the rolling policy
/// (PROACTIVE, maxSurge, maxUnavailable, minReadySec, replacementMethod), polled until <c>status.isStable</c> and
/// <c>status.versionTarget.isReached</c>. A rollout that does not get there in time is rolled back by patching the
/// previous template back. Authenticates with an OAuth access token (GCP_ACCESS_TOKEN).
/// </summary>
public sealed class GcpMigRollout(GroupDefinition group, HttpClient http, string accessToken)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan? Timeout { get; init; }

    private GcpMigDefinition Gcp => group.Gcp!;
    private string Base => $"{(Gcp.Endpoint ?? "https://compute.googleapis.com").TrimEnd('/')}/compute/v1/projects/{Gcp.Project}";
    private string Manager => $"{Base}/zones/{Gcp.Zone}/instanceGroupManagers/{Gcp.InstanceGroupManager}";

    public async Task<CloudRolloutResult> RunAsync(string image, CancellationToken ct)
    {
        var previous = (await SendAsync(HttpMethod.Get, Manager, null, ct))?["versions"]?[0]?["instanceTemplate"]?.GetValue<string>()
            ?? throw new PipelineException($"GCP {Gcp.InstanceGroupManager}: no current instance template");
        var name = $"{Gcp.TemplatePrefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image + group.Ports.Container)))[..12]}";
        var template = $"projects/{Gcp.Project}/global/instanceTemplates/{name}";
        if (previous.EndsWith($"/{name}", StringComparison.Ordinal)) return new(true, false, $"{group.Environment}/{group.Name}: {Gcp.InstanceGroupManager} already runs {name}");
        await SendAsync(HttpMethod.Post, $"{Base}/global/instanceTemplates", TemplateBody(name, image), ct);
        Log.Information($"  instance template {name} runs {image}");

        await PatchAsync(template, ct);
        if (await WaitStableAsync(ct)) return new(true, false, $"{group.Environment}/{group.Name}: {Gcp.InstanceGroupManager} runs {name}");
        Log.Warning($"  {Gcp.InstanceGroupManager} did not reach {name} in time; patching {previous} back");
        await PatchAsync(previous, ct);
        var back = await WaitStableAsync(ct);
        return new(false, back, $"{group.Environment}/{group.Name}: {Gcp.InstanceGroupManager} did not become stable on {name}; " +
            (back ? $"rolled back to {previous.Split('/')[^1]}" : "the rollback did not become stable either"));
    }

    public JsonObject PatchBody(string template)
    {
        var surge = group.Rolling.MaxSurge;
        return new JsonObject
        {
            ["versions"] = new JsonArray(new JsonObject { ["instanceTemplate"] = template }),
            ["updatePolicy"] = new JsonObject
            {
                ["type"] = "PROACTIVE",
                ["minimalAction"] = "REPLACE",
                ["maxSurge"] = new JsonObject { ["fixed"] = surge },
                ["maxUnavailable"] = new JsonObject { ["fixed"] = surge > 0 ? 0 : group.Rolling.EffectiveBatch(group.Count) },
                ["minReadySec"] = (int)group.Rolling.Warmup.TotalSeconds,
                ["replacementMethod"] = surge > 0 ? "SUBSTITUTE" : "RECREATE",
            },
        };
    }

    private Task PatchAsync(string template, CancellationToken ct) => SendAsync(HttpMethod.Patch, Manager, PatchBody(template), ct);

    private async Task<bool> WaitStableAsync(CancellationToken ct)
    {
        var batches = Math.Max(1, (int)Math.Ceiling(group.Count / (double)group.Rolling.EffectiveBatch(Math.Max(1, group.Count))));
        var deadline = DateTimeOffset.UtcNow + (Timeout ?? (group.Health.StartTimeout + group.Rolling.Warmup) * batches + group.Rolling.Bake);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var status = (await SendAsync(HttpMethod.Get, Manager, null, ct))?["status"];
            if (status?["isStable"]?.GetValue<bool>() == true && status["versionTarget"]?["isReached"]?.GetValue<bool>() == true) return true;
            await Task.Delay(PollInterval, ct);
        }
        return false;
    }

    private JsonObject TemplateBody(string name, string image) => new()
    {
        ["name"] = name,
        ["properties"] = new JsonObject
        {
            ["machineType"] = Gcp.MachineType,
            ["labels"] = new JsonObject { ["pipeline-deploy"] = group.Environment, ["pipeline-group"] = group.Name },
            ["metadata"] = new JsonObject
            {
                ["items"] = new JsonArray(new JsonObject
                {
                    ["key"] = "startup-script",
                    ["value"] = $"#!/bin/sh\ndocker pull {Tools.Process.ShellQuoting.Quote(image)}\ndocker run -d --restart unless-stopped -p {group.Ports.Container}:{group.Ports.Container} {Tools.Process.ShellQuoting.Quote(image)}\n",
                }),
            },
        },
    };

    private async Task<JsonNode?> SendAsync(HttpMethod method, string url, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new("Bearer", accessToken);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            var message = JsonNode.Parse(text.Length > 0 ? text : "{}")?["error"]?["message"]?.GetValue<string>() ?? text;
            throw new PipelineException($"GCP {method} {url}: {(int)response.StatusCode} {message}");
        }
        return text.Length > 0 ? JsonNode.Parse(text) : null;
    }
}
