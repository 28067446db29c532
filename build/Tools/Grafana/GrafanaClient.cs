using Pipeline.Engine;
using Pipeline.Tools.Http;
using System.Globalization;
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
    private readonly JsonExchange _exchange = new(http, "Grafana", token, "check monitoring/grafana/url");

    /// <summary>Creates the annotation; returns the id Grafana gave it.</summary>
    public async Task<long> AnnotateAsync(GrafanaAnnotation annotation, CancellationToken ct)
    {
        var endpoint = $"{_root}/api/annotations";
        var answer = await _exchange.SendAsync(HttpMethod.Post, endpoint, Secrets.Mask(annotation.ToJson().ToJsonString()), ct);
        if (answer.Succeeded && answer.Json?["id"] is JsonValue id && id.TryGetValue<long>(out var created)) return created;
        var message = answer.Json is JsonObject o && o["message"] is JsonValue m ? m.ToString() : answer.Excerpt;
        throw new PipelineException(
            $"Grafana POST {endpoint} failed ({answer.Status.ToString(CultureInfo.InvariantCulture)}): {Secrets.Mask(message.Trim())}"
            + Hint(answer.Status)
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
