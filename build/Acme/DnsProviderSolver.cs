using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Tools.Acme;
using Pipeline.Tools.Dns;

namespace Pipeline.Acme;

/// <summary>
/// DNS-01 through a provider of the dns: section (<c>challenge: {type: dns-01, provider: &lt;name&gt;}</c>): adds the
/// challenge's value to the TXT set at <c>_acme-challenge.&lt;domain&gt;</c>, waits until every authoritative server answers it,
/// and removes it afterwards. A wildcard and its base name share that set, so one solver serialises its changes to it.
/// The challenge records carry no ownership marker: they live only while the CA validates.
/// </summary>
public sealed class DnsProviderSolver(IDnsProvider provider) : IChallengeSolver
{
    private const int Ttl = 60;
    private readonly SemaphoreSlim _turn = new(1, 1);

    public string ChallengeType => "dns-01";

    public async Task PresentAsync(string domain, string token, string keyAuthorization, CancellationToken ct)
    {
        var set = await ChangeAsync(domain, values => [.. values, Jws.DnsTxtValue(keyAuthorization)], ct);
        await provider.WaitServedAsync([set], DnsStep.ServedTimeout, ct);
    }

    public async Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken ct) =>
        await ChangeAsync(domain, values => values.Where(v => v != Jws.DnsTxtValue(keyAuthorization)).ToList(), ct);

    private async Task<DnsRecordSet> ChangeAsync(
        string domain,
        Func<IReadOnlyList<string>, IReadOnlyList<string>> change,
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
            return next;
        }
        finally { _turn.Release(); }
    }
}
