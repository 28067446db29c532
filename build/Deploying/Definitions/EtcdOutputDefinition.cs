using Pipeline.Definitions;
using System.Net;

namespace Pipeline.Deploying.Definitions;

/// <summary>
/// <c>groups/&lt;name&gt;/outputs/etcd</c>: after each deploy, keys <c>&lt;prefix&gt;/&lt;env&gt;/&lt;group&gt;/&lt;instance&gt;</c> →
/// <c>host:port</c> of the members in traffic, through etcd's v3 JSON gateway (confd and similar watchers read them).
/// </summary>
/// <param name="Endpoint">The client URL: https anywhere, plain http only on a loopback address (tunnel a remote one).</param>
/// <param name="Prefix">Starts with '/', no trailing '/'; default <c>/pipeline</c>.</param>
public sealed record EtcdOutputDefinition(Uri Endpoint, string Prefix)
{
    public const string DefaultPrefix = "/pipeline";

    /// <summary>The key prefix of one group's members (with the trailing '/').</summary>
    public string GroupPrefix(string environment, string group) => $"{Prefix}/{environment}/{group}/";

    internal static EtcdOutputDefinition Read(DefinitionNode node)
    {
        node.AllowOnly("endpoint", "prefix");
        var endpointNode = node.Required("endpoint", "etcd's client URL, e.g. http://127.0.0.1:2379");
        var text = endpointNode.String();
        if (
            !Uri.TryCreate(text, UriKind.Absolute, out var endpoint)
            || endpoint.Scheme is not ("http" or "https")
            || endpoint.AbsolutePath != "/"
        )
            throw endpointNode.Error($"'{text}' must be a URL like http://127.0.0.1:2379 (scheme, host, port; no path)");
        if (endpoint.Scheme == "http" && !IsLoopback(endpoint.Host))
            throw endpointNode.Error(
                $"plain http is only allowed to a loopback address, not {endpoint.Host} (use https, or tunnel etcd to 127.0.0.1)"
            );
        var prefixNode = node.Optional("prefix");
        var prefix = prefixNode?.String() ?? DefaultPrefix;
        if (prefixNode is not null && (!prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Contains("//", StringComparison.Ordinal)))
            throw prefixNode.Error($"'{prefix}' must start with '/' and not end with one, e.g. /pipeline");
        return new EtcdOutputDefinition(endpoint, prefix);
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
