using Pipeline.Tools.Dns;

namespace Pipeline.Tools.Cloudflare;

/// <summary>One DNS record as Cloudflare's API v4 lists it (one value: Cloudflare keeps a record per value, not per RRset).
/// <paramref name="Ttl"/> 1 is Cloudflare's "automatic".</summary>
public sealed record CloudflareRecord(string Id, string Name, string Type, string Content, int Ttl)
{
    /// <summary>The value: TXT content without the quotes Cloudflare may add around it, a CNAME's target normalised.</summary>
    public string Value => Type switch
    {
        "TXT" => TxtStrings.Unquote(Content),
        "CNAME" => DnsRecordSet.Normalize(Content),
        _ => Content,
    };
}
