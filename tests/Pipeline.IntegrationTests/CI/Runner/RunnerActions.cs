using CliWrap;
using Pipeline.Tools.Process;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// The actions the generated workflows use, done as their documentation says: checkout (the commit alone, depth 1),
/// setup-dotnet (the SDK the runner image has, checked against dotnet-version), cache, upload-artifact and download-artifact
/// (<see cref="RunnerArtifacts"/>, <see cref="RunnerCache"/>), and the OIDC federation steps of AWS and GCP, which refuse to
/// run in a job without <c>id-token: write</c>. Any other action throws: the workflow has outgrown this runner.
/// </summary>
internal static class RunnerActions
{
    public static async Task<bool> RunAsync(JobExecution job, WorkflowStep step, WorkflowExpression.Scope scope, CancellationToken ct)
    {
        var with = step.With.ToDictionary(w => w.Key, w => WorkflowExpression.Interpolate(w.Value, scope));
        var action = step.Uses![..step.Uses!.IndexOf('@')];
        switch (action)
        {
            case "actions/checkout":
                return await CheckoutAsync(job, ct);
            case "actions/setup-dotnet":
                var version = (await Cli.Wrap("dotnet").WithArguments(["--version"]).RunBufferedAsync(ct)).StandardOutput.Trim();
                var wanted = with["dotnet-version"].Replace(".x", ".");
                job.Write($"dotnet {version} (wanted {with["dotnet-version"]})");
                return version.StartsWith(wanted, StringComparison.Ordinal);
            case "actions/cache":
                return await RunnerCache.RestoreAsync(job, step, with, ct);
            case "actions/upload-artifact":
                return RunnerArtifacts.Upload(job, with);
            case "actions/download-artifact":
                return RunnerArtifacts.Download(job, with);
            case "aws-actions/configure-aws-credentials":
                if (!Federated(job)) return false;
                foreach (var (name, value) in job.Run.Settings.AwsRoleCredentials) job.Env[name] = value;
                job.Env["AWS_REGION"] = job.Env["AWS_DEFAULT_REGION"] = with["aws-region"];
                job.Write($"Assumed role {with["role-to-assume"]} through the OIDC token of this job");
                return true;
            case "google-github-actions/auth":
                if (!Federated(job)) return false;
                job.Output(step.Id!, "access_token", job.Run.Settings.GcpAccessToken ?? "");
                job.Write($"Authenticated as {with["service_account"]} through {with["workload_identity_provider"]}");
                return true;
            default:
                throw new NotSupportedException($"The local runner does not know the action {step.Uses}");
        }
    }

    private static bool Federated(JobExecution job)
    {
        if (job.Job.Permissions.GetValueOrDefault("id-token") == "write") return true;
        job.Write("Error: Credentials could not be loaded: the job has no id-token: write permission to ask for an OIDC token");
        return false;
    }

    /// <summary>The git commands that put <paramref name="commit"/> alone into the empty <paramref name="folder"/>.</summary>
    public static string[][] Checkout(string folder, string repository, string commit) =>
    [
        ["init", "-q", folder],
        ["-C", folder, "fetch", "-q", "--depth", "1", "file://" + repository, commit],
        ["-C", folder, "checkout", "-q", "--detach", "FETCH_HEAD"],
    ];

    /// <summary>The commit alone into the empty workspace, as actions/checkout does by default (fetch-depth 1, detached).</summary>
    private static async Task<bool> CheckoutAsync(JobExecution job, CancellationToken ct)
    {
        foreach (var argv in Checkout(job.Machine.Workspace, job.Run.Settings.Repository, job.Run.Commit))
        {
            var result = await Cli.Wrap("git").WithArguments(argv).WithValidation(CommandResultValidation.None).RunBufferedAsync(ct);
            if (result.ExitCode != 0) { job.Write(result.StandardError); return false; }
        }
        job.Write($"Checked out {job.Run.Commit}");
        return true;
    }
}
