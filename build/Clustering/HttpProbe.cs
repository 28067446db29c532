using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Clustering;

/// <summary>One HTTP answer as a check sees it: status (0 when no answer came), body and how long it took.</summary>
public sealed record HttpAnswer(int Status, string Body, TimeSpan Elapsed, string? Error)
{
    public string? JsonField(string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v)
                ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;
        }
        catch (JsonException) { return null; }
    }

    public string Describe() => Error ?? $"HTTP {Status} in {Elapsed.TotalMilliseconds:0} ms";
}

/// <summary>Sends the requests of HTTP and failover checks and judges the answers (the judging is pure).</summary>
public static class HttpProbe
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false })
    { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    public static async Task<HttpAnswer> SendAsync(
        Uri baseUrl,
        string method,
        string path,
        IReadOnlyDictionary<string, string>? headers,
        BasicAuth? auth,
        string? body,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(baseUrl, path));
        request.Headers.ConnectionClose = true; // every probe is a fresh connection, as a new client would open
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        if (auth is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{auth.User}:{auth.Password}"))
            );
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await Client.SendAsync(request, cts.Token);
            var text = await response.Content.ReadAsStringAsync(cts.Token);
            return new HttpAnswer((int)response.StatusCode, text, watch.Elapsed, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new HttpAnswer(0, "", watch.Elapsed, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new HttpAnswer(0, "", watch.Elapsed, e.Message);
        }
    }

    /// <summary>What is wrong with the answer for <paramref name="check"/>; null when it passes.</summary>
    public static string? Judge(HttpCheck check, HttpAnswer answer)
    {
        if (answer.Error is not null) return answer.Error;
        if (answer.Status != check.Status) return $"expected HTTP {check.Status}, got {answer.Status}: {Excerpt(answer.Body)}";
        foreach (var (field, expected) in check.Json)
        {
            var actual = answer.JsonField(field);
            if (actual is null) return $"JSON field '{field}' is missing: {Excerpt(answer.Body)}";
            if (expected != "*" && actual != expected) return $"JSON field '{field}' is '{actual}', expected '{expected}'";
        }
        if (check.BodyPattern is { } pattern && !Regex.IsMatch(answer.Body, pattern))
            return $"the body does not match /{pattern}/: {Excerpt(answer.Body)}";
        return null;
    }

    private static string Excerpt(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
