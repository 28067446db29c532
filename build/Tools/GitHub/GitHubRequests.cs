using Octokit;
using Octokit.Internal;
using System.Collections.ObjectModel;

namespace Pipeline.Tools.GitHub;

/// <summary>
/// The request bodies of the GitHub REST calls Pipeline makes, as Octokit's models built by pure functions (no
/// HTTP), so tests can check what goes on the wire without a server. Descriptions are masked, then cut to GitHub's
/// 140 characters.
/// </summary>
public static class GitHubRequests
{
    public const int MaxDescription = 140;
    private static readonly SimpleJsonSerializer Json = new();

    /// <summary>POST /repos/{owner}/{repo}/deployments — a deployment of <paramref name="sha"/> to an environment,
    /// without waiting for other commit checks (<c>required_contexts: []</c>) and without merging the default branch.</summary>
    public static NewDeployment CreateDeployment(string sha, string environment, string description) => new(sha)
    {
        Environment = environment,
        Description = Cut(description),
        AutoMerge = false,
        RequiredContexts = new Collection<string>(),
        ProductionEnvironment = environment == "production",
    };

    /// <summary>POST /repos/{owner}/{repo}/deployments/{id}/statuses.</summary>
    public static NewDeploymentStatus CreateDeploymentStatus(DeploymentState state, string description, string? logUrl = null) =>
        new(state) { Description = Cut(description), LogUrl = logUrl };

    /// <summary>POST /repos/{owner}/{repo}/statuses/{sha} — a check shown beside the commit.</summary>
    public static NewCommitStatus CreateCommitStatus(CommitState state, string context, string description, string? targetUrl = null) =>
        new() { State = state, Context = context, Description = Cut(description), TargetUrl = targetUrl };

    /// <summary>The JSON body Octokit sends for a request model.</summary>
    public static string Wire(object body) => Json.Serialize(body);

    /// <summary>Masked first: cutting a secret in two would leave its first part unmasked.</summary>
    private static string Cut(string text)
    {
        text = Engine.Secrets.Mask(text);
        return text.Length <= MaxDescription ? text : text[..(MaxDescription - 1)] + "…";
    }
}
