namespace Pipeline.CI;

/// <summary>
/// One CI job, declared by the targets it is about. The job runs those targets and every dependency of
/// theirs that no earlier stage runs (for environment stages: no earlier stage without an environment and
/// none of the same environment, so each environment gets its own Publish or Certificates).
/// <c>needs:</c> are derived from the target graph; <see cref="After"/> adds gates the graph cannot say
/// (publish only after the tests, production only after staging).
/// </summary>
public sealed record Stage(string Id, string Name, IReadOnlyList<string> Targets)
{
    /// <summary>Passed as <c>--environment</c>; environment stages own their targets per environment.</summary>
    public string? Environment { get; init; }
    /// <summary>Runs in the GitHub environment of that name (its protection rules and secrets), one at a time.</summary>
    public bool IsDeployment { get; init; }
    /// <summary>Stage ids this job also waits for, beyond what the graph says.</summary>
    public IReadOnlyList<string> After { get; init; } = [];
    /// <summary>The job's <c>if:</c> condition.</summary>
    public string? Condition { get; init; }
    /// <summary>Token scopes beyond <c>contents: read</c> (e.g. <c>deployments: write</c> for deployment statuses).</summary>
    public IReadOnlyList<string> WriteScopes { get; init; } = [];
    /// <summary>Install every declared tool, not only those of the job's targets (the test suite uses them all).</summary>
    public bool InstallsAllTools { get; init; }
    /// <summary>Whether the job takes the artifacts/ of the jobs before it and hands its own on.</summary>
    public bool HandsOnArtifacts { get; init; } = true;
    /// <summary>Targets of the plan this job leaves out although no earlier job of its environment ran them (production's Publish: it
    /// promotes).</summary>
    public IReadOnlyList<string> Skips { get; init; } = [];
    /// <summary>Promote's source (<c>--from-environment</c>): its registry credentials come too.</summary>
    public string? FromEnvironment { get; init; }
    /// <summary>The job's targets run as root (<c>sudo</c>): the test suite starts daemons, network namespaces and users.
    /// The workspace goes back to the runner's user after; the job has no NuGet cache (root restores to its own home).</summary>
    public bool RunsAsRoot { get; init; }
    /// <summary>The GitHub environment whose secrets the job reads, when not <see cref="Environment"/> (e.g. read-only
    /// credentials).</summary>
    public string? GitHubEnvironment { get; init; }
    /// <summary>Skip reasons of tests that this job accepts, written in the workflow (<c>ALLOWED_TEST_SKIPS</c>).</summary>
    public IReadOnlyList<string> AllowedTestSkips { get; init; } = [];
    /// <summary>Extra step environment, e.g. the message of a failure report.</summary>
    public IReadOnlyList<(string Name, string Value)> Env { get; init; } = [];
}
