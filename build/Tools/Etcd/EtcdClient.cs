using Pipeline.Engine;
using System.Net.Http.Json;

namespace Pipeline.Tools.Etcd;

/// <summary>
/// etcd's v3 JSON gateway at one client URL: every call is a POST of an <see cref="EtcdRequest"/> (built by
/// <see cref="EtcdRequests"/>), the answer's body is returned as text; an error status, or no answer at all, raises
/// <see cref="PipelineException"/> naming the endpoint.
/// </summary>
public sealed class EtcdClient(HttpClient http, Uri endpoint)
{
    public Uri Endpoint { get; } = endpoint;

    /// <summary>The keys under <paramref name="prefix"/> (keys only, no values).</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string prefix, CancellationToken ct) =>
        EtcdRequests.ParseKeys(await SendAsync(EtcdRequests.KeysUnder(prefix), ct));

    public async Task<string> SendAsync(EtcdRequest request, CancellationToken ct)
    {
        try
        {
            using var content = new StringContent(request.Body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(Endpoint, request.Path), content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new PipelineException($"etcd {Endpoint}: {request.Path} answered {(int)response.StatusCode}: {body.Trim()}");
            return body;
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"etcd {Endpoint} does not answer ({e.Message}); is it running?");
        }
    }
}
