using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Engine;

namespace Pipeline.Tools.GitHub;

/// <summary>A failed GitHub REST call: status code and GitHub's message.</summary>
public sealed class GitHubApiException(string message) : PipelineException(message);

/// <summary>
/// A small GitHub REST client over <see cref="HttpClient"/>: token auth (<c>Authorization: Bearer</c>), the
/// documented media type and <c>X-GitHub-Api-Version</c> header. <paramref name="apiUrl"/> is
/// https://api.github.com, GitHub Enterprise's /api/v3, or a local fake in tests. Every body is masked like the log
/// before it leaves (descriptions are masked before <see cref="GitHubRequests"/> cuts them, so no prefix of a secret
/// survives the cut).
/// </summary>
public sealed class GitHubClient(HttpClient http, string apiUrl, string token, string repository)
{
    public string Repository => repository;

    public async Task<long> CreateDeploymentAsync(string sha, string environment, string description, CancellationToken ct)
    {
        var response = await SendAsync(GitHubRequests.CreateDeployment(repository, sha, environment, description), ct);
        return response?["id"]?.GetValue<long>()
            ?? throw new GitHubApiException("GitHub created a deployment but its answer has no id.");
    }

    public Task CreateDeploymentStatusAsync(long deploymentId, DeploymentState state, string description, string? logUrl, CancellationToken ct) =>
        SendAsync(GitHubRequests.CreateDeploymentStatus(repository, deploymentId, state, description, logUrl), ct);

    public Task CreateCommitStatusAsync(string sha, CommitState state, string context, string description, string? targetUrl, CancellationToken ct) =>
        SendAsync(GitHubRequests.CreateCommitStatus(repository, sha, state, context, description, targetUrl), ct);

    public async Task<JsonNode?> SendAsync(GitHubRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(request.Method, apiUrl.TrimEnd('/') + request.Path)
        {
            Content = new StringContent(Secrets.Mask(request.Body.ToJsonString()), Encoding.UTF8, "application/json"),
        };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(GitHubRequests.MediaType));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Add("X-GitHub-Api-Version", GitHubRequests.ApiVersion);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Pipeline", "1.0"));

        using var response = await http.SendAsync(message, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            var reason = TryParse(text)?["message"]?.GetValue<string>() ?? response.ReasonPhrase;
            throw new GitHubApiException($"GitHub {request.Method} {request.Path}: {(int)response.StatusCode} {reason}");
        }
        return TryParse(text);
    }

    private static JsonNode? TryParse(string text)
    {
        try { return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
