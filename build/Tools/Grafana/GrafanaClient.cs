using Pipeline.Engine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Tools.Grafana;

/// <summary>
/// Grafana's HTTP API, as far as deploy annotations need it: <c>POST /api/annotations</c> with a service account token
/// (Bearer). Grafana answers <c>{"message":"Annotation added","id":N}</c>, or an error status with a <c>message</c>; a
/// failure raises <see cref="PipelineException"/> naming the call, Grafana's status and message and what to check, never
/// the token. What leaves for Grafana is masked like the log (a deploy message may quote a secret).
/// </summary>
public sealed class GrafanaClient(HttpClient http, Uri url, string token)
{
    private readonly string _root = url.ToString().TrimEnd('/');

    /// <summary>Creates the annotation; returns the id Grafana gave it.</summary>
    public async Task<long> AnnotateAsync(GrafanaAnnotation annotation, CancellationToken ct)
    {
        var endpoint = $"{_root}/api/annotations";
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Content = new StringContent(Secrets.Mask(annotation.ToJson().ToJsonString()), Encoding.UTF8, "application/json");
        string text;
        int status;
        try
        {
            using var response = await http.SendAsync(request, ct);
            (text, status) = (await response.Content.ReadAsStringAsync(ct), (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"Grafana POST {endpoint}: no answer ({e.Message}); check monitoring/grafana/url");
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PipelineException($"Grafana POST {endpoint}: no answer within {http.Timeout.TotalSeconds:0} s ({e.Message})");
        }
        JsonNode? answer;
        try { answer = JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { answer = null; }
        if (status is >= 200 and < 300 && answer?["id"] is JsonValue id && id.TryGetValue<long>(out var created)) return created;
        var message = answer is JsonObject o && o["message"] is JsonValue m ? m.ToString() : text.Length > 200 ? text[..200] : text;
        throw new PipelineException(
            $"Grafana POST {endpoint} failed ({status.ToString(CultureInfo.InvariantCulture)}): {Secrets.Mask(message.Trim())}"
            + Hint(status)
        );
    }

    private static string Hint(int status) => status switch
    {
        401 => " (check GrafanaToken: a service account token of this Grafana, sent as Bearer)",
        403 => " (GrafanaToken's service account needs the annotations:create permission, e.g. the Editor role)",
        404 => " (check monitoring/grafana/url and dashboard_uid: is that Grafana's root, and does the dashboard exist?)",
        >= 200 and < 300 => " (the answer has no annotation id: is monitoring/grafana/url Grafana's root?)",
        _ => "",
    };
}
