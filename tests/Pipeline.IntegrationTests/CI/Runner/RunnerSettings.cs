namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>What the event that starts a run carries: its name, ref and (for <c>workflow_dispatch</c>) the inputs given.</summary>
public sealed record RunnerEvent(string Name, IReadOnlyDictionary<string, string> Inputs)
{
    public string Ref { get; init; } = "refs/heads/main";

    public static RunnerEvent Push { get; } = new("push", new Dictionary<string, string>());
    public static RunnerEvent Schedule { get; } = new("schedule", new Dictionary<string, string>());

    public static RunnerEvent Dispatch(params (string Name, string Value)[] inputs) =>
        new("workflow_dispatch", inputs.ToDictionary(i => i.Name, i => i.Value));
}

/// <summary>
/// The repository's settings on the stand-in GitHub: its secrets and variables (each scoped to all jobs, or to the jobs of
/// one GitHub <c>environment:</c>), the credentials the OIDC federation steps hand out, what the runner image sets on every
/// machine, the ports of the stand-ins on this machine's loopback that each machine reaches at the same address
/// (<see cref="HostForward"/>), and the stand-ins of public HTTPS services it reaches by their public names.
/// </summary>
public sealed record RunnerSettings(string Repository, string Root)
{
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> EnvironmentSecrets { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> MachineEnvironment { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<int> ForwardedPorts { get; init; } = [];
    /// <summary>Ports of a machine's loopback (key) that lead to another port on this machine's (value): a stand-in
    /// whose usual port here may be taken, e.g. HAProxy's runtime API at 127.0.0.1:9999 as staging.yml names it.</summary>
    public IReadOnlyDictionary<int, int> MappedPorts { get; init; } = new Dictionary<int, int>();
    /// <summary>Networks of stand-in hosts (e.g. staging's, 10.20.0.0/24) every machine may reach.</summary>
    public IReadOnlyList<string> Reachable { get; init; } = [];
    /// <summary>Stand-ins of public HTTPS services, reached on every machine by their public names.</summary>
    public HttpsStandIns? Https { get; init; }
    /// <summary>What <c>aws-actions/configure-aws-credentials</c> exports after assuming a role (keys of the AWS stand-in).</summary>
    public IReadOnlyDictionary<string, string> AwsRoleCredentials { get; init; } = new Dictionary<string, string>();
    /// <summary>The <c>access_token</c> output of <c>google-github-actions/auth</c> (a token the GCP stand-in accepts).</summary>
    public string? GcpAccessToken { get; init; }
    /// <summary>The user the steps run as (a hosted runner's is not root and has passwordless sudo); null: root.</summary>
    public RunnerUser? StepUser { get; init; }
    /// <summary>Rewrites a job's <c>run:</c> script before it runs (a test says why when it uses this).</summary>
    public Func<string, string, string>? RewriteRun { get; init; }
    public string GitHubRepository { get; init; } = "acme/pipeline";
    public string ServerUrl { get; init; } = "https://github.com";

    /// <summary>The secrets a job sees: the repository's, then its environment's, and GITHUB_TOKEN.</summary>
    public IReadOnlyDictionary<string, string> SecretsOf(string? environment)
    {
        var secrets = new Dictionary<string, string>(Secrets);
        if (environment is not null && EnvironmentSecrets.TryGetValue(environment, out var scoped))
            foreach (var (name, value) in scoped) secrets[name] = value;
        secrets.TryAdd("GITHUB_TOKEN", "ghs_standin" + Guid.NewGuid().ToString("N")[..16]);
        return secrets;
    }
}
