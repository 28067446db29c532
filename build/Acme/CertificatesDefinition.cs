using Pipeline.Definitions;

namespace Pipeline.Acme;

public enum KeyType { EcP256, Rsa2048 }

public enum ChallengeType { Http01, Dns01 }

/// <summary>How a names set proves control: HTTP-01 by the built-in responder (port) or token files (directory), or DNS-01 through a
/// hook.</summary>
public sealed record ChallengeDefinition(ChallengeType Type, int? HttpPort, string? TokenDirectory, IReadOnlyList<string> DnsHook)
{
    /// <summary>DNS-01 through this provider of the dns: section (the hook is the fallback when none is named).</summary>
    public string? DnsProvider { get; init; }

    public override string ToString() => Type switch
    {
        ChallengeType.Dns01 when DnsProvider is not null => $"dns-01 via the dns: provider {DnsProvider}",
        ChallengeType.Dns01 => $"dns-01 via {DnsHook[0]}",
        _ when TokenDirectory is not null => $"http-01 (token files in {TokenDirectory})",
        _ => $"http-01 (built-in responder on port {HttpPort})",
    };
}

/// <summary>One certificate: the names it covers, in the order written (the first is the subject).</summary>
public sealed record NameSet(IReadOnlyList<string> Names, ChallengeDefinition Challenge)
{
    /// <summary>The state key of the set: its names, lower-cased, sorted, comma-joined.</summary>
    public string Key => KeyOf(Names);
    public static string KeyOf(IEnumerable<string> names) =>
        string.Join(",", names.Select(n => n.ToLowerInvariant()).Order(StringComparer.Ordinal));
}

/// <param name="Trust">A PEM CA file trusted for the directory's TLS in addition to nothing else (loopback test CAs only).</param>
/// <param name="BackupEndpoint">The S3 endpoint of the state backup; null means the s3: section's.</param>
/// <param name="InstallDirectory">Where InstallCertificates writes one HAProxy PEM bundle (chain + key) per set.</param>
/// <param name="HaproxySocket">HAProxy's runtime API socket for a hitless certificate update, when HAProxy runs.</param>
public sealed record CertificatesDefinition(
    Uri Directory, string? Trust, IReadOnlyList<string> Contact, KeyType KeyType, ChallengeDefinition Challenge,
    (string Kid, string HmacKey)? ExternalAccountBinding, string? BackupEndpoint, string BackupBucket, string BackupKey,
    string InstallDirectory, string? HaproxySocket, IReadOnlyList<NameSet> Sets)
{
    public static readonly Uri LetsEncrypt = new("https://acme-v02.api.letsencrypt.org/directory");
    public static readonly Uri LetsEncryptStaging = new("https://acme-staging-v02.api.letsencrypt.org/directory");

    public override string ToString() => $"{Sets.Count} certificate(s) from {Directory}";
}
