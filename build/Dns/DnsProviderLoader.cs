using Pipeline.Definitions;
using Pipeline.Tools.Dns;
using System.Net;
using System.Text.RegularExpressions;

namespace Pipeline.Dns;

/// <summary>Reads one <c>dns/providers/&lt;name&gt;</c> entry by its type; errors name the key path and line. Secrets are
/// never keys here: a key the type does not know (a token, a secret) is refused.</summary>
public static partial class DnsProviderLoader
{
    public const string Types = "rfc2136, cloudflare, route53";

    public static DnsProviderDefinition Load(string name, DefinitionNode node)
    {
        var typeNode = node.Required("type", Types);
        return typeNode.String() switch
        {
            "rfc2136" => Rfc2136(name, node),
            "cloudflare" => Cloudflare(name, node),
            "route53" => Route53(name, node),
            var other => throw typeNode.Error(
                $"'{other}' is not a DNS provider type: use one of {Types}" + Engine.Suggestions.DidYouMean(other, Types.Split(", "))
            ),
        };
    }

    private static Rfc2136ProviderDefinition Rfc2136(string name, DefinitionNode node)
    {
        node.AllowOnly("type", "server", "key", "algorithm");
        var serverNode = node.Required("server", "the primary's address, e.g. 192.0.2.53:53");
        var server = DnsServer.Parse(serverNode.String());
        if (!IPAddress.TryParse(server.Host, out _) || server.Port is < 1 or > 65535)
            throw serverNode.Error($"'{serverNode.String()}' must be an IP address with an optional port (192.0.2.53 or 127.0.0.1:25353)");
        var key = node.Required("key", "the TSIG key's name; its secret comes from --dns-tsig-secret / DNS_TSIG_SECRET").String();
        var algorithmNode = node.Optional("algorithm");
        var algorithm = algorithmNode?.String() ?? "hmac-sha256";
        if (!TsigKey.Algorithms.Contains(algorithm))
            throw algorithmNode!.Error($"'{algorithm}' must be one of {string.Join(", ", TsigKey.Algorithms)}");
        return new Rfc2136ProviderDefinition(name, server, key, algorithm);
    }

    private static CloudflareProviderDefinition Cloudflare(string name, DefinitionNode node)
    {
        node.AllowOnly("type", "api");
        return new CloudflareProviderDefinition(name, Url(node.Optional("api")) ?? CloudflareProviderDefinition.DefaultApi);
    }

    private static Route53ProviderDefinition Route53(string name, DefinitionNode node)
    {
        node.AllowOnly("type", "hosted_zone", "endpoint");
        var zoneNode = node.Required("hosted_zone", "the hosted zone's id, e.g. Z0123456789ABCDEFGHIJ");
        var zone = zoneNode.String().Replace("/hostedzone/", "", StringComparison.Ordinal);
        if (!HostedZoneId().IsMatch(zone))
            throw zoneNode.Error(
                $"'{zoneNode.String()}' is not a hosted zone id (upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ)");
        return new Route53ProviderDefinition(name, zone, Url(node.Optional("endpoint")) ?? Route53ProviderDefinition.DefaultEndpoint);
    }

    /// <summary>An https:// URL, or http:// to this machine only (a test's fake): credentials never cross a network in clear.</summary>
    private static Uri? Url(DefinitionNode? node)
    {
        if (node is null) return null;
        var text = node.String().TrimEnd('/');
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw node.Error($"'{node.String()}' must be an https:// URL");
        if (uri.Scheme == "http" && !uri.IsLoopback)
            throw node.Error($"'{node.String()}' must be https:// (plain http only to 127.0.0.1, for a local fake)");
        return uri;
    }

    [GeneratedRegex("^[A-Z0-9]{1,32}$")]
    private static partial Regex HostedZoneId();
}
