using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;
using System.Net.Http.Json;

namespace Pipeline.Deploying.Outputs;

/// <summary>
/// Writes a group's members in traffic to etcd after a deploy (<c>/pipeline/&lt;env&gt;/&lt;group&gt;/&lt;instance&gt;</c> →
/// <c>host:port</c>) and deletes the keys of members gone, through the v3 JSON gateway.
/// </summary>
public sealed class EtcdOutput(HttpClient http, EtcdOutputDefinition etcd)
{
    public async Task<IReadOnlyList<string>> KeysAsync(string prefix, CancellationToken ct) =>
        EtcdRequests.ParseKeys(await SendAsync(EtcdRequests.KeysUnder(prefix), ct));

    public async Task PublishAsync(GroupDefinition group, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        var prefix = etcd.GroupPrefix(group.Environment, group.Name);
        var wanted = members.ToDictionary(m => prefix + m.Name, m => m.Address);
        var requests = EtcdRequests.Sync(wanted, await KeysAsync(prefix, ct));
        foreach (var request in requests) await SendAsync(request, ct);
        Log.Information($"etcd {etcd.Endpoint}: {wanted.Count} member key(s) under {prefix}, {requests.Count - wanted.Count} removed");
    }

    private async Task<string> SendAsync(EtcdRequest request, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(new Uri(etcd.Endpoint, request.Path), request.Body, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new PipelineException($"etcd {etcd.Endpoint}: {request.Path} answered {(int)response.StatusCode}: {body.Trim()}");
            return body;
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"etcd {etcd.Endpoint} does not answer ({e.Message}); is it running?");
        }
    }
}
