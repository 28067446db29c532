using Pipeline.Engine;
using Pipeline.Tools.Http;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Tools.Cloudflare;

/// <summary>
/// Cloudflare's API v4 for DNS, with an API token (Bearer): a zone's id by its name, and a zone's records listed by name and
/// type, and changed by one batch call per change (deletes, puts and posts in one transaction). Every answer is
/// Cloudflare's envelope (<c>success</c>, <c>errors</c>, <c>result</c>); a failure raises <see cref="PipelineException"/>
/// naming the call and Cloudflare's code and message, never the token.
/// </summary>
public sealed class CloudflareClient(HttpClient http, Uri api, string token)
{
    private readonly string _root = api.ToString().TrimEnd('/');
    private readonly JsonExchange _exchange = new(http, "Cloudflare", token);

    public async Task<string> ZoneIdAsync(string zone, CancellationToken ct)
    {
        var result = await SendAsync(HttpMethod.Get, $"/zones?name={Uri.EscapeDataString(zone)}", null, ct);
        return result.AsArray().Select(z => z?["id"]?.GetValue<string>()).FirstOrDefault(id => id is not null)
            ?? throw new PipelineException(
                $"Cloudflare ({_root}): no zone named {zone} is visible to the API token (does it have Zone:DNS:Edit on {zone}?)"
            );
    }

    /// <summary>The records of one name and type (name.exact: Cloudflare compares case-insensitively).</summary>
    public async Task<IReadOnlyList<CloudflareRecord>> ListAsync(string zoneId, string name, string type, CancellationToken ct)
    {
        var path = $"/zones/{zoneId}/dns_records?name.exact={Uri.EscapeDataString(name)}&type={type}&per_page=100";
        var result = await SendAsync(HttpMethod.Get, path, null, ct);
        return result.AsArray().Select(r => Record(r!)).ToList();
    }

    /// <summary>One batch, applied whole or not at all (see <see cref="CloudflareBatch"/>).</summary>
    public async Task BatchAsync(string zoneId, CloudflareBatch batch, CancellationToken ct)
    {
        if (!batch.IsEmpty) await SendAsync(HttpMethod.Post, $"/zones/{zoneId}/dns_records/batch", batch.Body(), ct);
    }

    private static CloudflareRecord Record(JsonNode r) => new(
        r["id"]!.GetValue<string>(),
        r["name"]!.GetValue<string>(),
        r["type"]!.GetValue<string>(),
        r["content"]!.GetValue<string>(),
        r["ttl"]?.GetValue<int>() ?? 1
    );

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var answer = await _exchange.SendAsync(method, _root + path, body?.ToJsonString(), ct, shown: _root + Cut(path));
        if (answer.Json?["success"]?.GetValue<bool>() == true && answer.Json["result"] is { } result) return result;
        var errors = answer.Json?["errors"]?.AsArray().Select(e => $"{e?["code"]}: {e?["message"]}").ToList() ?? [];
        throw new PipelineException(
            $"Cloudflare {method} {_root}{Cut(path)} failed ({answer.Status.ToString(CultureInfo.InvariantCulture)}): "
            + (errors.Count > 0 ? string.Join("; ", errors) : answer.Excerpt)
            + (answer.Status is 401 or 403 ? " (check CLOUDFLARE_API_TOKEN and its Zone:DNS:Edit permission)" : "")
        );
    }

    private static string Cut(string path) => path.Split('?')[0];
}
