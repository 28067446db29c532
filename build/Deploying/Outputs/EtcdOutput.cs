using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;
using Pipeline.Tools.Etcd;

namespace Pipeline.Deploying.Outputs;

/// <summary>
/// Writes a group's members in traffic to etcd after a deploy (<c>/pipeline/&lt;env&gt;/&lt;group&gt;/&lt;instance&gt;</c> →
/// <c>host:port</c>) and deletes the keys of members gone, through the v3 JSON gateway (<see cref="EtcdClient"/>).
/// </summary>
public sealed class EtcdOutput(HttpClient http, EtcdOutputDefinition etcd)
{
    private readonly EtcdClient _client = new(http, etcd.Endpoint);

    public Task<IReadOnlyList<string>> KeysAsync(string prefix, CancellationToken ct) => _client.KeysAsync(prefix, ct);

    public async Task PublishAsync(GroupDefinition group, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        var prefix = etcd.GroupPrefix(group.Environment, group.Name);
        var wanted = members.ToDictionary(m => prefix + m.Name, m => m.Address);
        var requests = EtcdRequests.Sync(wanted, await _client.KeysAsync(prefix, ct));
        foreach (var request in requests) await _client.SendAsync(request, ct);
        Log.Information($"etcd {etcd.Endpoint}: {wanted.Count} member key(s) under {prefix}, {requests.Count - wanted.Count} removed");
    }
}
