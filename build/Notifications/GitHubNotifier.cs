using Pipeline.Tools.GitHub;
using CommitState = Octokit.CommitState;
using DeploymentState = Octokit.DeploymentState;

namespace Pipeline.Notifications;

/// <summary>
/// Deploys become GitHub deployments (created on start, then statuses in_progress → success | failure);
/// other operations become commit statuses with context <c>pipeline/&lt;operation&gt;</c>.
/// One instance per operation: it remembers the deployment it created.
/// </summary>
public sealed class GitHubNotifier(GitHubClient client) : INotifier
{
    private long? _deploymentId;

    public string Name => "GitHub";

    public async Task StartedAsync(NotificationEvent e, CancellationToken ct)
    {
        if (!e.IsDeploy)
        {
            await client.CreateCommitStatusAsync(e.Sha, CommitState.Pending, Context(e), $"{e.Operation} started", e.RunUrl, ct);
            return;
        }
        _deploymentId = await client.CreateDeploymentAsync(e.Sha, e.Environment, $"Deploy {e.ShortSha} to {e.Environment}", ct);
        await client.CreateDeploymentStatusAsync(_deploymentId.Value, DeploymentState.InProgress, "Deploying", e.RunUrl, ct);
    }

    public Task SucceededAsync(NotificationEvent e, CancellationToken ct) => e.IsDeploy
        ? Status(DeploymentState.Success, $"Deployed {e.ShortSha}", e, ct)
        : client.CreateCommitStatusAsync(e.Sha, CommitState.Success, Context(e), $"{e.Operation} passed", e.RunUrl, ct);

    public Task FailedAsync(NotificationEvent e, string reason, CancellationToken ct) => e.IsDeploy
        ? Status(DeploymentState.Failure, reason, e, ct)
        : client.CreateCommitStatusAsync(e.Sha, CommitState.Failure, Context(e), reason, e.RunUrl, ct);

    private Task Status(DeploymentState state, string description, NotificationEvent e, CancellationToken ct) =>
        _deploymentId is { } id
            ? client.CreateDeploymentStatusAsync(id, state, description, e.RunUrl, ct)
            : Task.CompletedTask; // the deployment could not be created; the warning was logged then

    private static string Context(NotificationEvent e) => $"pipeline/{e.Operation}";
}
