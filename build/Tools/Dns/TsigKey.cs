using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Pipeline.Engine;

namespace Pipeline.Tools.Dns;

/// <summary>A TSIG key (RFC 8945) that signs dynamic updates: its name, algorithm and base64 secret (registered as a secret,
/// so it prints as ****).</summary>
public sealed record TsigKey(string Name, string Algorithm, string Secret)
{
    public static IReadOnlyList<string> Algorithms { get; } = ["hmac-sha256", "hmac-sha512", "hmac-sha384", "hmac-sha1"];

    public TSigRecord Sign(ushort transactionId) => new(
        DomainName.Parse(Name),
        Algorithm switch
        {
            "hmac-sha512" => TSigAlgorithm.Sha512,
            "hmac-sha384" => TSigAlgorithm.Sha384,
            "hmac-sha1" => TSigAlgorithm.Sha1,
            _ => TSigAlgorithm.Sha256,
        },
        DateTime.UtcNow,
        TimeSpan.FromMinutes(5),
        transactionId,
        ReturnCode.NoError,
        null,
        KeyBytes()
    );

    private byte[] KeyBytes()
    {
        try { return Convert.FromBase64String(Secret); }
        catch (FormatException)
        {
            throw new PipelineException(
                $"The TSIG secret of key '{Name}' is not base64 (set it to the key's secret, e.g. from tsig-keygen)."
            );
        }
    }

    public override string ToString() => $"{Name} ({Algorithm})";
}
