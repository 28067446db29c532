namespace Pipeline.Server.Jobs;

/// <summary>
/// Where the <c>github-actions</c> executor sends jobs: the REST API root (https://api.github.com, GitHub Enterprise Server's
/// https://host/api/v3, or a local fake in tests), the repository, the generated workflow (its file name under
/// .github/workflows) and the ref to run it on, the variable that holds the token (never a value on the command line), and how
/// often a run is polled.
/// </summary>
public sealed record GitHubActionsOptions(
    string ApiUrl, string Repository, string Workflow, string Ref, string TokenVariable, TimeSpan PollInterval)
{
    public static GitHubActionsOptions From(Microsoft.Extensions.Configuration.IConfiguration configuration) => new(
        configuration["github-api-url"] ?? "https://api.github.com",
        configuration["github-repository"] ?? Environment.GetEnvironmentVariable("GITHUB_REPOSITORY") ?? "",
        configuration["github-workflow"] ?? "pipeline.yml",
        configuration["github-ref"] ?? "main",
        configuration["github-token-variable"] ?? "GITHUB_TOKEN",
        TimeSpan.FromMilliseconds(int.TryParse(configuration["github-poll-ms"], out var ms) && ms > 0 ? ms : 5000));

    /// <summary>The API root as Octokit joins paths to it: absolute, ending in '/' (else /api/v3 would lose its v3).</summary>
    public Uri ApiRoot => new(ApiUrl.TrimEnd('/') + "/");

    public (string Owner, string Name) OwnerAndName => Repository.Split('/') is [{ Length: > 0 } owner, { Length: > 0 } name]
        ? (owner, name)
        : throw new InvalidOperationException(
            $"--github-repository '{Repository}' is not owner/name (e.g. acme/shop): the github-actions executor needs it.");
}
