using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Tools.Acme;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Acme;

/// <summary>What a Certificates run did.</summary>
public sealed record IssueResult(AcmeState State, IReadOnlyList<CertificatePlan> Plans, int OrdersCreated);

/// <summary>
/// Issues or renews only the names sets the planner says need it: one order per set, its authorizations in
/// parallel (valid ones reused, pending ones solved), finalize with a fresh key's CSR, chain download. The state
/// is saved after every certificate, so a failure later keeps what was already issued.
/// </summary>
/// <param name="dnsProviders">The dns: section's providers by name, for DNS-01 sets that name one.</param>
public sealed class CertificateIssuer(
    CertificatesDefinition definition,
    HttpClient http,
    string workingDirectory,
    Func<string, IDnsProvider>? dnsProviders = null
)
{
    private static readonly TimeSpan ValidationTimeout = TimeSpan.FromMinutes(3);

    public async Task<IssueResult> RunAsync(AcmeState state, Func<AcmeState, Task> save, CancellationToken ct)
    {
        state = await EnsureAccountKeyAsync(state, save);
        using var accountKey = state.Account!.LoadKey();
        var client = new AcmeClient(http, definition.Directory, accountKey);

        var plans = RenewalPlanner.Plan(definition, state, DateTimeOffset.UtcNow, await RenewalWindowsAsync(client, state, ct));
        foreach (var plan in plans) Log.Information($"{string.Join(", ", plan.Set.Names)}: {plan.Reason}");
        var work = plans.Where(p => p.Action != CertificateAction.UpToDate).ToList();
        if (work.Count == 0)
        {
            Log.Information("Certificates are up to date: no order placed.");
            return new IssueResult(state, plans, 0);
        }

        var directoryKey = definition.Directory.AbsoluteUri;
        var accountUrl = await client.AccountAsync(definition.Contact, definition.ExternalAccountBinding, ct);
        if (state.Account.Urls.GetValueOrDefault(directoryKey) != accountUrl)
        {
            state = state with
            {
                Account = state.Account with { Urls = new Dictionary<string, string>(state.Account.Urls) { [directoryKey] = accountUrl } },
            };
            await save(state);
        }

        await using var solvers = new SolverSet(workingDirectory, dnsProviders);
        foreach (var plan in work)
        {
            var certificate = await IssueAsync(client, plan, solvers, ct);
            state = state.With(certificate);
            await save(state);
            Log.Information($"Issued {certificate}.");
        }
        return new IssueResult(state, plans, client.OrdersCreated);
    }

    private static async Task<AcmeState> EnsureAccountKeyAsync(AcmeState state, Func<AcmeState, Task> save)
    {
        if (state.Account is not null) return state;
        state = state with { Account = AcmeAccountState.New() };
        await save(state);
        return state;
    }

    /// <summary>ARI windows of the current certificates when the directory offers renewalInfo; none otherwise or on error.</summary>
    private async Task<IReadOnlyDictionary<string, RenewalWindow>> RenewalWindowsAsync(
        AcmeClient client,
        AcmeState state,
        CancellationToken ct
    )
    {
        var windows = new Dictionary<string, RenewalWindow>();
        var current = definition.Sets.Select(s => (s.Key, Certificate: state.Find(s.Key)))
            .Where(x => x.Certificate is not null && x.Certificate.Directory == definition.Directory.AbsoluteUri).ToList();
        if (current.Count == 0) return windows;
        try
        {
            if ((await client.DirectoryAsync(ct)).RenewalInfo is null) return windows;
            foreach (var (key, certificate) in current)
            {
                using var leaf = certificate!.Leaf();
                if (await client.RenewalInfoAsync(Csr.AriCertId(leaf), ct) is { } info) windows[key] = info.SuggestedWindow;
            }
        }
        catch (Exception e) when (e is HttpRequestException or AcmeException or InvalidOperationException)
        {
            Log.Warning($"ARI renewalInfo not available ({e.Message}); deciding by remaining lifetime.");
        }
        return windows;
    }

    private async Task<CertificateState> IssueAsync(AcmeClient client, CertificatePlan plan, SolverSet solvers, CancellationToken ct)
    {
        var set = plan.Set;
        string? replaces = null;
        if (plan.Current is { } current)
        {
            using var leaf = current.Leaf();
            try
            {
                replaces = Csr.AriCertId(leaf);
            }
            catch (InvalidOperationException) { }
        }
        var order = await client.NewOrderAsync(set.Names, replaces, ct);
        var orderUrl = order.Url!;
        Log.Information(
            $"Order {orderUrl} for {string.Join(", ", set.Names)}: {order.Status}, {order.Authorizations.Count} authorization(s)."
        );

        var solver = await solvers.ForAsync(set.Challenge, ct);
        await Task.WhenAll(order.Authorizations.Select(url => AuthorizeAsync(client, url, solver, ct)));

        if (order.Status == "pending")
            order = await client.PollAsync<AcmeOrder>(orderUrl, o => o.Status, ["pending"], ValidationTimeout, ct);
        if (order.Status is not ("ready" or "valid"))
            throw new AcmeException($"Order for {string.Join(", ", set.Names)} is {order.Status}: {order.Error}");

        var keyPem = Csr.NewKeyPem(definition.KeyType);
        if (order.Status == "ready") order = await client.FinalizeAsync(order, Csr.Create(set.Names, definition.KeyType, keyPem), ct);
        if (order.Status == "processing")
            order = await client.PollAsync<AcmeOrder>(orderUrl, o => o.Status, ["processing"], ValidationTimeout, ct);
        if (order.Status != "valid" || order.Certificate is null)
            throw new AcmeException($"Order for {string.Join(", ", set.Names)} ended {order.Status}: {order.Error}");

        var chain = await client.DownloadChainAsync(order.Certificate, ct);
        using var issued = X509Certificate2.CreateFromPem(chain);
        return new CertificateState(set.Names, definition.KeyType, definition.Directory.AbsoluteUri, chain, keyPem,
            issued.NotBefore.ToUniversalTime(), issued.NotAfter.ToUniversalTime(), DateTimeOffset.UtcNow);
    }

    private static async Task AuthorizeAsync(AcmeClient client, Uri url, IChallengeSolver solver, CancellationToken ct)
    {
        var authorization = await client.AuthorizationAsync(url, ct);
        var domain = (authorization.Wildcard ? "*." : "") + authorization.Identifier.Value;
        if (authorization.Status == "valid") { Log.Information($"{domain}: authorization still valid, reused."); return; }
        if (authorization.Status != "pending") throw new AcmeException($"{domain}: authorization is {authorization.Status}.");

        var challenge = authorization.Challenges.FirstOrDefault(c => c.Type == solver.ChallengeType)
            ?? throw new AcmeException(
                $"{domain}: the CA offers no {solver.ChallengeType} challenge "
                + $"({string.Join(", ", authorization.Challenges.Select(c => c.Type))})."
            );
        var keyAuthorization = Jws.KeyAuthorization(challenge.Token!, client.AccountKey);
        await solver.PresentAsync(domain, challenge.Token!, keyAuthorization, ct);
        try
        {
            await client.RespondAsync(challenge, ct);
            authorization = await client.PollAsync<AcmeAuthorization>(url, a => a.Status, ["pending"], ValidationTimeout, ct);
        }
        finally
        {
            await solver.CleanupAsync(domain, challenge.Token!, keyAuthorization, CancellationToken.None);
        }
        if (authorization.Status != "valid")
        {
            var problem = authorization.Challenges.FirstOrDefault(c => c.Type == solver.ChallengeType)?.Error;
            throw new AcmeException(
                $"{domain}: {solver.ChallengeType} validation failed: {problem?.ToString() ?? authorization.Status}",
                problem
            );
        }
        Log.Information($"{domain}: validated by {solver.ChallengeType}.");
    }

    /// <summary>The solvers of one run; the built-in responder listens only while needed, one per port.</summary>
    private sealed class SolverSet(string workingDirectory, Func<string, IDnsProvider>? dnsProviders) : IAsyncDisposable
    {
        private readonly Dictionary<int, Http01Responder> _responders = [];
        private readonly Dictionary<string, DnsProviderSolver> _dns = [];

        public Task<IChallengeSolver> ForAsync(ChallengeDefinition challenge, CancellationToken ct) =>
            Task.FromResult<IChallengeSolver>(
                challenge switch
                {
                    { Type: ChallengeType.Dns01, DnsProvider: { } name } => DnsSolver(name),
                    { Type: ChallengeType.Dns01 } => new DnsHookSolver(challenge.DnsHook, workingDirectory),
                    { TokenDirectory: { } directory } => new TokenDirectorySolver(System.IO.Path.GetFullPath(directory, workingDirectory)),
                    _ => new Http01ResponderSolver(Responder(challenge.HttpPort ?? 80)),
                }
            );

        private DnsProviderSolver DnsSolver(string name)
        {
            lock (_dns)
            {
                if (_dns.TryGetValue(name, out var solver)) return solver;
                var provider = dnsProviders?.Invoke(name)
                    ?? throw new PipelineException(
                        $"DNS-01 through provider '{name}': this run has no dns: providers (add a dns: section)"
                    );
                return _dns[name] = new DnsProviderSolver(provider);
            }
        }

        private Http01Responder Responder(int port)
        {
            if (!_responders.TryGetValue(port, out var responder)) _responders[port] = responder = new Http01Responder(port);
            return responder;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var responder in _responders.Values) await responder.DisposeAsync();
        }
    }
}
