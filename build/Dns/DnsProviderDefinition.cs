using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

public enum DnsProviderKind { Rfc2136, Cloudflare, Route53 }

/// <summary><c>dns/providers/&lt;name&gt;</c>: how records reach the zone. Secrets are never keys of the file: each kind reads
/// its own from a [Secret] parameter or the environment.</summary>
public abstract record DnsProviderDefinition(string Name, DnsProviderKind Kind);

/// <summary>rfc2136: dynamic updates to <paramref name="Server"/>, signed with the TSIG key <paramref name="KeyName"/> (its
/// secret: --dns-tsig-secret / DNS_TSIG_SECRET).</summary>
public sealed record Rfc2136ProviderDefinition(string Name, DnsServer Server, string KeyName, string Algorithm)
    : DnsProviderDefinition(Name, DnsProviderKind.Rfc2136)
{
    public override string ToString() => $"{Name} (rfc2136 to {Server}, key {KeyName})";
}

/// <summary>cloudflare: Cloudflare's API v4 at <paramref name="Api"/>, the zone found by its name, with the API token from
/// --cloudflare-api-token / CLOUDFLARE_API_TOKEN (Zone:DNS:Edit on the zone).</summary>
public sealed record CloudflareProviderDefinition(string Name, Uri Api) : DnsProviderDefinition(Name, DnsProviderKind.Cloudflare)
{
    public static readonly Uri DefaultApi = new("https://api.cloudflare.com/client/v4");

    public override string ToString() => $"{Name} (cloudflare at {Api})";
}

/// <summary>route53: the hosted zone <paramref name="HostedZone"/> through Route 53's API at <paramref name="Endpoint"/>,
/// SigV4-signed with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN).</summary>
public sealed record Route53ProviderDefinition(string Name, string HostedZone, Uri Endpoint)
    : DnsProviderDefinition(Name, DnsProviderKind.Route53)
{
    public static readonly Uri DefaultEndpoint = new("https://route53.amazonaws.com");

    public override string ToString() => $"{Name} (route53 hosted zone {HostedZone})";
}
