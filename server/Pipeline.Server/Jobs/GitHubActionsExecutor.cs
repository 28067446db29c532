using Octokit;
using Octokit.Internal;

namespace Pipeline.Server.Jobs;

/// <summary>
/// The <c>github-actions</c> executor: a job becomes a <c>workflow_dispatch</c> of the generated workflow (its
/// <c>environment</c>, <c>targets</c> and <c>parameters</c> inputs: the job's, see <see cref="DispatchInputs"/>; the workflow
/// runs only the jobs those targets need) through Octokit, then the run is followed until it completes, each of its
/// jobs' and steps' changes going to the job's log, so the dashboard shows a run on GitHub's runners like a local one.
/// Cancelling the job cancels the run. The token comes from the server's environment and only travels in the Authorization
/// header. A run whose jobs were all skipped (no stage covered by the targets) fails the job.
/// </summary>
public sealed class GitHubActionsExecutor(GitHubActionsOptions options, string token, JobLog log)
{
    public async Task<(JobStatus Status, int? ExitCode)> RunAsync(Job job, CancellationToken cancel)
    {
        var (owner, name) = options.OwnerAndName;
        var client = Client();
        var since = DateTimeOffset.UtcNow.AddSeconds(-5);
        if (DispatchInputs.Problem(job) is { } problem)
        {
            log.Append(job.Id, problem);
            return (JobStatus.Failed, 2);
        }
        var inputs = DispatchInputs.Of(job);
        await client.Actions.Workflows.CreateDispatch(owner, name, options.Workflow,
            new CreateWorkflowDispatch(options.Ref) { Inputs = inputs });
        log.Append(job.Id, $"Dispatched {options.Workflow} on {options.Ref} of {options.Repository} with "
            + string.Join(", ", inputs.Select(i => $"{i.Key}={i.Value}")) + ": only the jobs those targets need run.");
        var run = await FindRunAsync(client, owner, name, since, cancel);
        log.Append(job.Id, $"Run {run.RunNumber}: {run.HtmlUrl}");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var cancelled = false;
        while (true)
        {
            if (cancel.IsCancellationRequested && !cancelled)
            {
                cancelled = true;
                await client.Actions.Workflows.Runs.Cancel(owner, name, run.Id);
                log.Append(job.Id, $"Cancel requested: run {run.RunNumber} cancelled on GitHub.");
            }
            run = await client.Actions.Workflows.Runs.Get(owner, name, run.Id);
            foreach (var j in (await client.Actions.Workflows.Jobs.List(owner, name, run.Id)).Jobs)
            {
                Report(job.Id, seen, j.Name, j.Status.StringValue, j.Conclusion?.StringValue);
                foreach (var step in j.Steps ?? [])
                    Report(job.Id, seen, $"{j.Name} › {step.Name}", step.Status.StringValue, step.Conclusion?.StringValue);
            }
            if (run.Status.StringValue == "completed") break;
            await Task.Delay(options.PollInterval, CancellationToken.None);
        }
        var conclusion = run.Conclusion?.StringValue ?? "unknown";
        log.Append(job.Id, $"Run {run.RunNumber} completed: {conclusion}.");
        var jobs = (await client.Actions.Workflows.Jobs.List(owner, name, run.Id)).Jobs;
        if (conclusion == "success" && jobs.All(j => j.Conclusion?.StringValue == "skipped"))
        {
            log.Append(job.Id, $"No job of {options.Workflow} ran: none has its stage's targets all in the plan of "
                + $"{string.Join(' ', job.Targets)}. Name the targets of a whole stage (e.g. Certificates Deploy), "
                + "or use the local executor.");
            return (JobStatus.Failed, 1);
        }
        return conclusion switch
        {
            "success" => (JobStatus.Succeeded, 0),
            "cancelled" => (JobStatus.Cancelled, null),
            _ => (JobStatus.Failed, 1),
        };
    }

    /// <summary>The dispatch answers no run id: the run is the newest workflow_dispatch run of the ref created since.</summary>
    private async Task<WorkflowRun> FindRunAsync(GitHubClient client, string owner, string name, DateTimeOffset since, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            var runs = await client.Actions.Workflows.Runs.ListByWorkflow(owner, name, options.Workflow,
                new WorkflowRunsRequest { Event = "workflow_dispatch", Branch = options.Ref });
            if (runs.WorkflowRuns.Where(r => r.CreatedAt >= since).OrderByDescending(r => r.CreatedAt).FirstOrDefault() is { } run)
                return run;
            if (DateTimeOffset.UtcNow > deadline)
                throw new InvalidOperationException($"GitHub listed no run of {options.Workflow} two minutes after the dispatch.");
            await Task.Delay(options.PollInterval, ct);
        }
    }

    private void Report(string jobId, Dictionary<string, string> seen, string what, string status, string? conclusion)
    {
        var state = conclusion is null ? status : $"{status} ({conclusion})";
        if (seen.TryGetValue(what, out var before) && before == state) return;
        seen[what] = state;
        log.Append(jobId, $"{what}: {state}");
    }

    private GitHubClient Client() =>
        new(new Connection(new ProductHeaderValue("Pipeline-Serve", "1.0"), options.ApiRoot,
            new InMemoryCredentialStore(new Credentials(token, AuthenticationType.Bearer)),
            new HttpClientAdapter(() => new ApiVersionHandler()), new SimpleJsonSerializer()));

    /// <summary>Pins the REST API version, as the build's GitHub client does.</summary>
    private sealed class ApiVersionHandler() : DelegatingHandler(HttpMessageHandlerFactory.CreateDefault())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            request.Headers.Remove("X-GitHub-Api-Version");
            request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
            if (request.Content is { } content && content.Headers.ContentType is { } type) type.MediaType = "application/json";
            return base.SendAsync(request, ct);
        }
    }
}
