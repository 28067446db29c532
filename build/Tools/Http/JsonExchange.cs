using Pipeline.Engine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Tools.Http;

/// <summary>
/// One request to a JSON API with a Bearer token (Grafana, Cloudflare), and its answer as status, text and parsed JSON (null
/// when the body is not JSON). A request that gets no answer, or none in time, fails as one <see cref="PipelineException"/>
/// naming the service, method and endpoint; what a status means is the caller's to say.
/// </summary>
/// <param name="Service">The service's name in messages, e.g. <c>Grafana</c>.</param>
/// <param name="NoAnswerHint">Appended to the no-answer message, e.g. <c>check monitoring/grafana/url</c>.</param>
public sealed record JsonExchange(HttpClient Http, string Service, string Token, string? NoAnswerHint = null)
{
    /// <summary>The answer to one request: its status, body and the body parsed as JSON.</summary>
    public sealed record Answer(int Status, string Text, JsonNode? Json)
    {
        public bool Succeeded => Status is >= 200 and < 300;

        /// <summary>The body for a message: at most 200 characters.</summary>
        public string Excerpt => Text.Length > 200 ? Text[..200] : Text;
    }

    /// <summary>Sends <paramref name="body"/> (when given) to <paramref name="endpoint"/>; <paramref name="shown"/> is how
    /// messages name the endpoint (without a query, say).</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string endpoint, string? body, CancellationToken ct, string? shown = null)
    {
        using var request = new HttpRequestMessage(method, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var what = $"{Service} {method} {shown ?? endpoint}";
        string text;
        int status;
        try
        {
            using var response = await Http.SendAsync(request, ct);
            (text, status) = (await response.Content.ReadAsStringAsync(ct), (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"{what}: no answer ({e.Message}){(NoAnswerHint is null ? "" : $"; {NoAnswerHint}")}");
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PipelineException($"{what}: no answer within {Http.Timeout.TotalSeconds:0} s ({e.Message})");
        }
        JsonNode? json;
        try { json = JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { json = null; }
        return new Answer(status, text, json);
    }
}
