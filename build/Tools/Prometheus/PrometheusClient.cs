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
/// Prometheus' HTTP API (v1) at one base URL (a path prefix such as <c>http://host/prometheus</c> is kept): the targets, the
/// active alerts, the metric names it has, and instant queries. An error status, or no answer at all, raises
/// <see cref="PipelineException"/> naming the URL and, for a refused query, Prometheus' own reason.
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

    /// <summary>The instant query <paramref name="expression"/> evaluated now: a vector or a scalar. A query Prometheus refuses
    /// (bad PromQL, an execution error) raises <see cref="PipelineException"/> with its reason and the query.</summary>
    public async Task<PrometheusQueryResult> QueryAsync(string expression, CancellationToken ct)
    {
        using var document = await GetAsync($"/api/v1/query?query={Uri.EscapeDataString(expression)}", ct, expression);
        return PrometheusQueryResult.Parse(document.RootElement.GetProperty("data"), expression);
    }

    private async Task<JsonDocument> GetAsync(string path, CancellationToken ct, string? query = null)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(BaseUrl.AbsoluteUri.TrimEnd('/') + path), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode && query is not null && Reason(body) is { } reason)
                throw new PipelineException($"Prometheus {BaseUrl} refused the query '{query}' ({(int)response.StatusCode}): {reason}; "
                    + "fix the query (try it in Prometheus' /graph page)");
            if (!response.IsSuccessStatusCode)
                throw new PipelineException($"Prometheus {BaseUrl}: {path} answered {(int)response.StatusCode}: {body.Trim()}");
            return JsonDocument.Parse(body);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"Prometheus {BaseUrl} does not answer ({e.Message}); is it running?");
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PipelineException($"Prometheus {BaseUrl} did not answer in time ({e.Message}); is it overloaded or unreachable?");
        }
        catch (JsonException e)
        {
            throw new PipelineException($"Prometheus {BaseUrl}: {path} did not answer JSON ({e.Message}); is that address Prometheus?");
        }
    }

    /// <summary>The <c>error</c> of Prometheus' JSON error answer (<c>{"status":"error","errorType":"bad_data","error":"…"}</c>).</summary>
    private static string? Reason(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) ? $"{error.GetString()}" : null;
        }
        catch (JsonException) { return null; }
    }

    private static string Label(JsonElement labels, string name) =>
        labels.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}
