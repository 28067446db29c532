using Octokit;
using Octokit.Internal;
using Pipeline.Engine;

namespace Pipeline.Tools.GitHub;

/// <summary>A failed GitHub REST call: method, path, status code and GitHub's message.</summary>
public sealed class GitHubApiException(string message, Exception? inner = null) : PipelineException(message, inner);

/// <summary>
/// The GitHub calls Pipeline makes (deployments, deployment statuses, commit statuses), through Octokit with a
/// bearer token. <paramref name="apiUrl"/> is the REST API root: https://api.github.com, GitHub Enterprise Server's
/// https://host/api/v3 (GITHUB_API_URL in Actions), or a local fake in tests. The token only ever travels in the
/// Authorization header; failures name the call and GitHub's answer, never the token.
/// </summary>
public sealed class GitHubClient
{
    private readonly ApiConnection _api;
    private readonly string _owner;
    private readonly string _name;

    public GitHubClient(string apiUrl, string token, string repository, TimeSpan timeout)
    {
        if (repository.Split('/') is not [{ Length: > 0 } owner, { Length: > 0 } name])
            throw new UsageException($"GITHUB_REPOSITORY '{repository}' is not owner/name (e.g. acme/shop).");
        (_owner, _name, Repository) = (owner, name, repository);
        var connection = new Connection(new ProductHeaderValue("Pipeline", "1.0"), ApiRoot(apiUrl),
            new InMemoryCredentialStore(new Credentials(token, AuthenticationType.Bearer)),
            new HttpClientAdapter(() => new GitHubHandler()), new GitHubJson());
        connection.SetRequestTimeout(timeout);
        _api = new ApiConnection(connection);
    }

    public string Repository { get; }

    /// <summary>The API root as Octokit joins paths to it: absolute, ending in '/' (else /api/v3 would lose its v3).</summary>
    public static Uri ApiRoot(string apiUrl) =>
        Uri.TryCreate(apiUrl.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new UsageException(
                $"GITHUB_API_URL '{apiUrl}' is not an http(s) URL (github.com: https://api.github.com; GitHub Enterprise Server: "
                + $"https://host/api/v3)."
            );

    public Task<long> CreateDeploymentAsync(string sha, string environment, string description, CancellationToken ct) =>
        CallAsync(
            $"/repos/{Repository}/deployments",
            async () =>
                (
                    await _api.Post<GitHubCreated>(
                        ApiUrls.Deployments(_owner, _name),
                        GitHubRequests.CreateDeployment(sha, environment, description)
                    )
                ).Id,
            ct
        );

    public Task CreateDeploymentStatusAsync(
        long deploymentId,
        DeploymentState state,
        string description,
        string? logUrl,
        CancellationToken ct
    ) =>
        CallAsync(
            $"/repos/{Repository}/deployments/{deploymentId}/statuses",
            () =>
                _api.Post<GitHubCreated>(
                    ApiUrls.DeploymentStatuses(_owner, _name, deploymentId),
                    GitHubRequests.CreateDeploymentStatus(state, description, logUrl)
                ),
            ct
        );

    public Task CreateCommitStatusAsync(
        string sha,
        CommitState state,
        string context,
        string description,
        string? targetUrl,
        CancellationToken ct
    ) =>
        CallAsync(
            $"/repos/{Repository}/statuses/{sha}",
            () =>
                _api.Post<GitHubCreated>(
                    ApiUrls.CreateCommitStatus(_owner, _name, sha),
                    GitHubRequests.CreateCommitStatus(state, context, description, targetUrl)
                ),
            ct
        );

    private static async Task<T> CallAsync<T>(string path, Func<Task<T>> call, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        GitHubHandler.Call.Value = ct;
        try
        {
            return await call();
        }
        catch (ApiException ex)
        {
            throw new GitHubApiException($"GitHub POST {path}: {(int)ex.StatusCode} {ex.ApiError?.Message ?? ex.Message}", ex);
        }
    }
}
