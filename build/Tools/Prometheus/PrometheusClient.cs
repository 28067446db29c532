using Pipeline.Engine;
using System.Text.Json;

namespace Pipeline.Tools.Prometheus;

/// <summary>One scrape target as <c>/api/v1/targets</c> reports it: its labels, its health (up, down, unknown) and last error.</summary>
public sealed record ScrapeTarget(string Job, string Instance, string Health, string LastError);

/// <summary>One active alert as <c>/api/v1/alerts</c> reports it (pending or firing; resolved alerts are not listed).</summary>
public sealed record ActiveAlert(string Name, IReadOnlyDictionary<string, string> Labels, string State, DateTimeOffset? ActiveAt)
{
    public bool Firing => State == "firing";
}

/// <summary>
/// Prometheus' HTTP API (v1) at one base URL: the targets, the active alerts, the metric names it has, and the number
/// of series an instant query returns. An error status, or no answer at all, raises <see cref="PipelineException"/>
/// naming the URL.
/// </summary>
public sealed class PrometheusClient(HttpClient http, Uri baseUrl)
{
    public Uri BaseUrl { get; } = baseUrl;

    public async Task<IReadOnlyList<ScrapeTarget>> TargetsAsync(CancellationToken ct)
    {
        using var document = await GetAsync("/api/v1/targets?state=active", ct);
        return document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => new ScrapeTarget(
                Label(t.GetProperty("labels"), "job"), Label(t.GetProperty("labels"), "instance"),
                t.GetProperty("health").GetString() ?? "unknown", t.TryGetProperty("lastError", out var e) ? e.GetString() ?? "" : ""))
            .ToList();
    }

    public async Task<IReadOnlyList<ActiveAlert>> AlertsAsync(CancellationToken ct)
    {
        using var document = await GetAsync("/api/v1/alerts", ct);
        return document.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray()
            .Select(a =>
            {
                var labels = a.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
                DateTimeOffset? activeAt = a.TryGetProperty("activeAt", out var at) && at.TryGetDateTimeOffset(out var t) ? t : null;
                var state = a.GetProperty("state").GetString() ?? "";
                return new ActiveAlert(labels.GetValueOrDefault("alertname", ""), labels, state, activeAt);
            })
            .ToList();
    }

    /// <summary>Every metric name Prometheus has series of (<c>/api/v1/label/__name__/values</c>).</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync(CancellationToken ct)
    {
        using var document = await GetAsync("/api/v1/label/__name__/values", ct);
        return document.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetString() ?? "").ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>How many series the instant query <paramref name="expression"/> returns now.</summary>
    public async Task<int> SeriesCountAsync(string expression, CancellationToken ct)
    {
        using var document = await GetAsync($"/api/v1/query?query={Uri.EscapeDataString(expression)}", ct);
        var data = document.RootElement.GetProperty("data");
        return data.GetProperty("resultType").GetString() is "vector" or "matrix" ? data.GetProperty("result").GetArrayLength() : 1;
    }

    private async Task<JsonDocument> GetAsync(string path, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(BaseUrl, path), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new PipelineException($"Prometheus {BaseUrl}: {path} answered {(int)response.StatusCode}: {body.Trim()}");
            return JsonDocument.Parse(body);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"Prometheus {BaseUrl} does not answer ({e.Message}); is it running?");
        }
    }

    private static string Label(JsonElement labels, string name) =>
        labels.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}
