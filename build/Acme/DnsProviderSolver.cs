using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Tools.Acme;
using Pipeline.Tools.Dns;

namespace Pipeline.Acme;

/// <summary>
/// DNS-01 through a provider of the dns: section (<c>challenge: {type: dns-01, provider: &lt;name&gt;}</c>): adds the
/// challenge's value to the TXT set at <c>_acme-challenge.&lt;domain&gt;</c>, waits until every authoritative server answers it,
/// and removes it afterwards. A wildcard and its base name share that set, so one solver serialises its changes to it, and
/// a present holds its turn until the set is served: otherwise one name's cleanup could change the set while the other
/// still waits for the set it wrote, and that wait would never end.
/// The challenge records carry no ownership marker: they live only while the CA validates.
/// </summary>
public sealed class DnsProviderSolver(IDnsProvider provider) : IChallengeSolver
{
    private const int Ttl = 60;
    private readonly SemaphoreSlim _turn = new(1, 1);

    public string ChallengeType => "dns-01";

    public Task PresentAsync(string domain, string token, string keyAuthorization, CancellationToken ct) =>
        ChangeAsync(domain, values => [.. values, Jws.DnsTxtValue(keyAuthorization)], waitServed: true, ct);

    public Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken ct) =>
        ChangeAsync(domain, values => values.Where(v => v != Jws.DnsTxtValue(keyAuthorization)).ToList(), waitServed: false, ct);

    private async Task ChangeAsync(
        string domain,
        Func<IReadOnlyList<string>, IReadOnlyList<string>> change,
        bool waitServed,
        CancellationToken ct
    )
    {
        var name = DnsRecordSet.Normalize(DnsHookSolver.RecordName(domain));
        if (name != provider.Zone && !name.EndsWith($".{provider.Zone}", StringComparison.Ordinal))
            throw new PipelineException(
                $"DNS-01 for {domain}: {name} is not in the dns: zone {provider.Zone}; use a provider of that name's zone, or dns-hook"
            );
        await _turn.WaitAsync(ct);
        try
        {
            var now = await provider.ReadAsync(name, DnsRecordType.TXT, ct);
            var next = DnsRecordSet.Of(name, DnsRecordType.TXT, Ttl, change(now.Values));
            await provider.ReplaceAsync([next], ct);
            Log.Information($"DNS-01: TXT {name} now holds {next.Values.Count} value(s)");
            if (waitServed) await provider.WaitServedAsync([next], DnsStep.ServedTimeout, ct);
        }
        finally { _turn.Release(); }
    }
}
