using Pipeline.Engine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Tools.Gcp;

/// <summary>
/// Compute Engine REST (v1) for one project, with an OAuth access token: JSON requests, Google's error shape, and the
/// Operation a mutating call answers waited on (zoneOperations.wait / globalOperations.wait until DONE) with the
/// operation's own error surfaced. The endpoint is compute.googleapis.com, or a local fake in tests.
/// </summary>
public sealed class GcpComputeClient(HttpClient http, string endpoint, string project, string accessToken)
{
    public string Base => $"{endpoint.TrimEnd('/')}/compute/v1/projects/{project}";

    public Task<JsonNode?> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>A mutating call: sends it, then waits for its Operation to be DONE; an operation error throws.</summary>
    public async Task<JsonNode> MutateAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var operation = await SendAsync(method, path, body, ct)
            ?? throw new PipelineException($"GCP {method} {path}: no Operation in the answer");
        return await WaitAsync(operation, ct);
    }

    public async Task<JsonNode> WaitAsync(JsonNode operation, CancellationToken ct)
    {
        var name = operation["name"]?.GetValue<string>() ?? throw new PipelineException("GCP: an Operation without a name");
        var zone = operation["zone"]?.GetValue<string>()?.Split('/')[^1];
        var waitPath = zone is null ? $"/global/operations/{name}/wait" : $"/zones/{zone}/operations/{name}/wait";
        while (operation["status"]?.GetValue<string>() != "DONE")
            operation = await SendAsync(HttpMethod.Post, waitPath, null, ct)
                ?? throw new PipelineException($"GCP {waitPath}: no Operation in the answer");
        if (operation["error"]?["errors"] is JsonArray { Count: > 0 } errors)
        {
            var what = operation["operationType"]?.GetValue<string>() ?? "operation";
            var target = operation["targetLink"]?.GetValue<string>()?.Split('/')[^1] ?? "";
            throw new PipelineException($"GCP {what} {target} failed ({name}): " +
                string.Join("; ", errors.Select(e => $"{e?["code"]?.GetValue<string>()}: {e?["message"]?.GetValue<string>()}")));
        }
        return operation;
    }

    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, Base + path);
        request.Headers.Authorization = new("Bearer", accessToken);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            string? message = null;
            try { message = JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>(); } catch (System.Text.Json.JsonException) { }
            throw new GcpApiException((int)response.StatusCode, $"GCP {method} {path}: {(int)response.StatusCode} {message ?? text}");
        }
        return text.Length > 0 ? JsonNode.Parse(text) : null;
    }
}
