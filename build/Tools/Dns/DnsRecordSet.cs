namespace Pipeline.Tools.Dns;

/// <summary>The record types Pipeline manages.</summary>
public enum DnsRecordType { A, AAAA, CNAME, TXT }

/// <summary>
/// All records of one name and type (an RRset, as DNS updates and answers them): the name fully qualified, lower case,
/// without the final dot; values in their presentation form (an address, a target name, a TXT string), sorted.
/// </summary>
public sealed record DnsRecordSet(string Name, DnsRecordType Type, int Ttl, IReadOnlyList<string> Values)
{
    public static DnsRecordSet Of(string name, DnsRecordType type, int ttl, IEnumerable<string> values) =>
        new(Normalize(name), type, ttl, values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());

    /// <summary>A name as records carry it: lower case, no final dot.</summary>
    public static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();

    /// <summary>Same values (TTL aside).</summary>
    public bool SameValues(DnsRecordSet other) => Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    public string ValuesText => Values.Count == 0 ? "(none)" : string.Join(",", Values);

    public override string ToString() => $"{Type} {Name} {ValuesText}";
}

/// <summary>An authoritative server's address: a host (an IP address) and its port.</summary>
public sealed record DnsServer(string Host, int Port)
{
    public static DnsServer Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && !text.EndsWith(']') && int.TryParse(text[(colon + 1)..], out var port)
            ? new DnsServer(text[..colon].Trim('[', ']'), port)
            : new DnsServer(text.Trim('[', ']'), 53);
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
