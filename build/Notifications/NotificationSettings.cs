namespace Pipeline.Notifications;

/// <summary>
/// Where notifications go. GitHub needs a token and the repository (owner/name); Slack needs the webhook URL.
/// Each channel is off when its settings are missing.
/// </summary>
public sealed record NotificationSettings
{
    public string? GitHubToken { get; init; }
    public string? GitHubRepository { get; init; }
    public string GitHubApiUrl { get; init; } = "https://api.github.com";
    public string? SlackWebhook { get; init; }
    /// <summary>The CI run's page (GitHub Actions: server/repository/actions/runs/id).</summary>
    public string? RunUrl { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool GitHubEnabled => !string.IsNullOrEmpty(GitHubToken) && !string.IsNullOrEmpty(GitHubRepository);
    public bool SlackEnabled => !string.IsNullOrEmpty(SlackWebhook);

    /// <summary>From the GitHub Actions variables (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID), if present.</summary>
    public static string? RunUrlFrom(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("GITHUB_RUN_ID", out var id) && environment.TryGetValue("GITHUB_REPOSITORY", out var repo)
            ? $"{environment.GetValueOrDefault("GITHUB_SERVER_URL", "https://github.com")}/{repo}/actions/runs/{id}"
            : null;
}
