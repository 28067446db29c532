using System.Text.Json.Nodes;

namespace Pipeline.Tools.GitHub;

/// <summary>One REST call: method, path under the API root, JSON body.</summary>
public sealed record GitHubRequest(HttpMethod Method, string Path, JsonObject Body);

/// <summary>States of a deployment status (REST: "Create a deployment status").</summary>
public enum DeploymentState { Error, Failure, Inactive, InProgress, Queued, Pending, Success }

/// <summary>States of a commit status (REST: "Create a commit status").</summary>
public enum CommitState { Error, Failure, Pending, Success }

/// <summary>
/// The request shapes of the GitHub REST API calls Pipeline makes, as pure functions (no HTTP), so tests can
/// check them without a server. Descriptions are cut to GitHub's 140 characters.
/// </summary>
public static class GitHubRequests
{
    public const string ApiVersion = "2022-11-28";
    public const string MediaType = "application/vnd.github+json";
    public const int MaxDescription = 140;

    /// <summary>POST /repos/{owner}/{repo}/deployments — a deployment of <paramref name="sha"/> to an environment.</summary>
    public static GitHubRequest CreateDeployment(string repository, string sha, string environment, string description) =>
        new(HttpMethod.Post, $"/repos/{repository}/deployments", new JsonObject
        {
            ["ref"] = sha,
            ["environment"] = environment,
            ["description"] = Cut(description),
            ["auto_merge"] = false,
            ["required_contexts"] = new JsonArray(),
            ["production_environment"] = environment == "production",
        });

    /// <summary>POST /repos/{owner}/{repo}/deployments/{id}/statuses.</summary>
    public static GitHubRequest CreateDeploymentStatus(string repository, long deploymentId, DeploymentState state,
        string description, string? logUrl = null, string? environmentUrl = null)
    {
        var body = new JsonObject { ["state"] = Wire(state), ["description"] = Cut(description) };
        if (logUrl is not null) body["log_url"] = logUrl;
        if (environmentUrl is not null) body["environment_url"] = environmentUrl;
        return new(HttpMethod.Post, $"/repos/{repository}/deployments/{deploymentId}/statuses", body);
    }

    /// <summary>POST /repos/{owner}/{repo}/statuses/{sha} — a check shown beside the commit.</summary>
    public static GitHubRequest CreateCommitStatus(string repository, string sha, CommitState state, string context,
        string description, string? targetUrl = null)
    {
        var body = new JsonObject { ["state"] = Wire(state), ["context"] = context, ["description"] = Cut(description) };
        if (targetUrl is not null) body["target_url"] = targetUrl;
        return new(HttpMethod.Post, $"/repos/{repository}/statuses/{sha}", body);
    }

    /// <summary><c>InProgress</c> → <c>in_progress</c>.</summary>
    public static string Wire(Enum state) =>
        string.Concat(state.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>Masked first: cutting a secret in two would leave its first part unmasked.</summary>
    private static string Cut(string text)
    {
        text = Engine.Secrets.Mask(text);
        return text.Length <= MaxDescription ? text : text[..(MaxDescription - 1)] + "…";
    }
}
