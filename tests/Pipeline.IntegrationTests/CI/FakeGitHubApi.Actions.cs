using Pipeline.IntegrationTests.CI.Runner;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Pipeline.IntegrationTests.CI;

/// <summary>
/// The Actions endpoints the control plane's github-actions executor calls: a <c>workflow_dispatch</c> (checked against the
/// repository's own generated workflow under .github/workflows, as GitHub checks it: the file must exist and have the trigger,
/// <c>ref</c> is required, no input it does not declare, a choice input only one of its options), the workflow's runs, a run, its
/// jobs (the workflow's jobs and steps), and cancel. A run is <c>queued</c>, then <c>in_progress</c>, then <c>completed</c>
/// with <see cref="RunConclusion"/> as it is polled. The answers' field names are Octokit's models' (ActionsFakeTests checks).
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly List<FakeRun> _runs = [];

    /// <summary>How a dispatched run ends ("success", "failure").</summary>
    public string RunConclusion { get; set; } = "success";
    /// <summary>How many polls of a run it stays in progress.</summary>
    public int PollsInProgress { get; set; } = 2;
    public IReadOnlyList<FakeRun> Runs { get { lock (_runs) return [.. _runs]; } }

    public sealed class FakeRun(long id, int number, string workflow, string @ref, JsonObject inputs)
    {
        public long Id { get; } = id;
        public int Number { get; } = number;
        public string Workflow { get; } = workflow;
        public string Ref { get; } = @ref;
        public JsonObject Inputs { get; } = inputs;
        public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;
        public string Status { get; set; } = "queued";
        public string? Conclusion { get; set; }
        public int Polls { get; set; }
    }

    private (int, string) HandleActions(RecordedRequest request)
    {
        var prefix = $"/repos/{Repository}/actions";
        var path = request.Path[prefix.Length..];
        lock (_runs)
        {
            if (Dispatch().Match(path) is { Success: true } d && request.Method == "POST") return Dispatch(d.Groups[1].Value, request.Body);
            if (WorkflowRuns().Match(path) is { Success: true } w && request.Method == "GET")
            {
                var query = request.Query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(q => q.Split('=', 2))
                    .ToDictionary(q => q[0], q => Uri.UnescapeDataString(q.ElementAtOrDefault(1) ?? ""));
                var runs = _runs.Where(r => r.Workflow == w.Groups[1].Value
                    && (!query.TryGetValue("event", out var e) || e == "workflow_dispatch")
                    && (!query.TryGetValue("branch", out var b) || b == r.Ref)).OrderByDescending(r => r.Id).ToList();
                return (200, new JsonObject { ["total_count"] = runs.Count, ["workflow_runs"] = new JsonArray([.. runs.Select(Json)]) }
                    .ToJsonString());
            }
            if (Run().Match(path) is { Success: true } r && _runs.FirstOrDefault(x => x.Id == long.Parse(r.Groups[1].Value)) is { } run)
            {
                if (r.Groups[2].Value == "" && request.Method == "GET") return (200, Json(Advance(run)).ToJsonString());
                if (r.Groups[2].Value == "/jobs" && request.Method == "GET") return (200, Jobs(run).ToJsonString());
                if (r.Groups[2].Value == "/cancel" && request.Method == "POST")
                {
                    if (run.Status == "completed") return (409, """{"message":"Cannot cancel a workflow run that is completed."}""");
                    (run.Status, run.Conclusion) = ("completed", "cancelled");
                    return (202, "{}");
                }
            }
        }
        return (404, """{"message":"Not Found"}""");
    }

    private (int, string) Dispatch(string workflow, string body)
    {
        var file = Path.Combine(Packaging.RepositoryRoot.Path, ".github", "workflows", workflow);
        if (!File.Exists(file)) return (404, """{"message":"Not Found"}""");
        if ((JsonNode.Parse(body) as JsonObject) is not { } request || request["ref"]?.GetValue<string>() is not { Length: > 0 } @ref)
            return (422, """{"message":"Invalid request.\n\n\"ref\" wasn't supplied."}""");
        if (Map(Map(Root(file), "on"), "workflow_dispatch") is not { } trigger)
            return (422, """{"message":"Workflow does not have 'workflow_dispatch' trigger"}""");
        var declared = Map(trigger, "inputs") as YamlMappingNode;
        var inputs = request["inputs"] as JsonObject ?? [];
        foreach (var (name, value) in inputs)
        {
            if (Map(declared, name) is not YamlMappingNode input)
                return (422, $$"""{"message":"Unexpected inputs provided: [\"{{name}}\"]"}""");
            if (Map(input, "options") is YamlSequenceNode options
                && !options.Children.Select(o => o.ToString()).Contains(value?.ToString()))
                return (422, $$"""{"message":"Provided value '{{value}}' for input '{{name}}' not in the list of allowed values"}""");
        }
        foreach (var (key, input) in declared?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
            if (Map(input, "required")?.ToString() == "true" && Map(input, "default") is null && !inputs.ContainsKey(key.ToString()))
                return (422, $$"""{"message":"Required input '{{key}}' not provided"}""");
        var id = Interlocked.Increment(ref _nextId);
        _runs.Add(new FakeRun(id, _runs.Count + 1, workflow, @ref, inputs));
        return (204, "");
    }

    private FakeRun Advance(FakeRun run)
    {
        run.Polls++;
        if (run.Status == "queued") run.Status = "in_progress";
        else if (run.Status == "in_progress" && run.Polls > PollsInProgress) (run.Status, run.Conclusion) = ("completed", RunConclusion);
        return run;
    }

    private JsonObject Json(FakeRun run) => new()
    {
        ["id"] = run.Id,
        ["name"] = run.Workflow,
        ["head_branch"] = run.Ref,
        ["head_sha"] = "0123456789abcdef0123456789abcdef01234567",
        ["path"] = $".github/workflows/{run.Workflow}",
        ["run_number"] = run.Number,
        ["run_attempt"] = 1,
        ["event"] = "workflow_dispatch",
        ["status"] = run.Status,
        ["conclusion"] = run.Conclusion,
        ["url"] = $"{Url}/repos/{Repository}/actions/runs/{run.Id}",
        ["html_url"] = $"https://github.com/{Repository}/actions/runs/{run.Id}",
        ["jobs_url"] = $"{Url}/repos/{Repository}/actions/runs/{run.Id}/jobs",
        ["cancel_url"] = $"{Url}/repos/{Repository}/actions/runs/{run.Id}/cancel",
        ["created_at"] = run.Created.ToString("O"),
        ["updated_at"] = DateTimeOffset.UtcNow.ToString("O"),
        ["run_started_at"] = run.Created.ToString("O"),
    };

    /// <summary>
    /// The workflow's own jobs and steps: those whose <c>if:</c> (with the dispatch's inputs, defaults filled in) and needs
    /// let them run are in the run's state; the others <c>completed</c>, <c>skipped</c>, as GitHub shows them.
    /// </summary>
    private JsonObject Jobs(FakeRun run)
    {
        var root = Root(Path.Combine(Packaging.RepositoryRoot.Path, ".github", "workflows", run.Workflow));
        var jobs = Map(root, "jobs") as YamlMappingNode;
        var contexts = new Dictionary<string, string?> { ["github.event_name"] = "workflow_dispatch" };
        foreach (var (key, input) in (Map(Map(Map(root, "on"), "workflow_dispatch"), "inputs") as YamlMappingNode)?.Children
                 ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
            contexts[$"inputs.{key}"] = run.Inputs[key.ToString()]?.ToString() ?? Map(input, "default")?.ToString();
        var results = new Dictionary<string, string>();
        foreach (var (key, job) in jobs?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            var needs = (Map(job, "needs") as YamlSequenceNode)?.Children.Select(n => results[n.ToString()]).ToList() ?? [];
            var runs = WorkflowExpression.Runs(Map(job, "if")?.ToString(), new WorkflowExpression.Scope(contexts)
            {
                Succeeded = needs.All(r => r == "success"),
                Failed = needs.Contains("failure"),
            });
            results[key.ToString()] = runs ? RunConclusion : "skipped";
        }
        var list = (jobs?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>()).Select((job, i) => new JsonObject
        {
            ["id"] = run.Id * 100 + i,
            ["run_id"] = run.Id,
            ["name"] = Map(job.Value, "name")?.ToString() ?? job.Key.ToString(),
            ["status"] = results[job.Key.ToString()] == "skipped" ? "completed" : run.Status,
            ["conclusion"] = results[job.Key.ToString()] == "skipped" ? "skipped" : run.Conclusion,
            ["head_sha"] = "0123456789abcdef0123456789abcdef01234567",
            ["html_url"] = $"https://github.com/{Repository}/actions/runs/{run.Id}/job/{run.Id * 100 + i}",
            ["started_at"] = run.Created.ToString("O"),
            ["steps"] = new JsonArray([.. ((Map(job.Value, "steps") as YamlSequenceNode)?.Children ?? []).Select((step, n) => new JsonObject
            {
                ["name"] = (Map(step, "name") ?? Map(step, "uses") ?? Map(step, "run"))?.ToString().Split('\n')[0] ?? $"step {n + 1}",
                ["status"] = results[job.Key.ToString()] == "skipped" ? "completed" : run.Status,
                ["conclusion"] = results[job.Key.ToString()] == "skipped" ? "skipped" : run.Conclusion,
                ["number"] = n + 1,
            })]),
        }).ToList();
        return new JsonObject { ["total_count"] = list.Count, ["jobs"] = new JsonArray([.. list]) };
    }

    private static YamlNode? Root(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file)) yaml.Load(reader);
        return yaml.Documents[0].RootNode;
    }

    private static YamlNode? Map(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    [GeneratedRegex(@"^/workflows/([^/]+)/dispatches$")]
    private static partial Regex Dispatch();

    [GeneratedRegex(@"^/workflows/([^/]+)/runs$")]
    private static partial Regex WorkflowRuns();

    [GeneratedRegex(@"^/runs/(\d+)(|/jobs|/cancel)$")]
    private static partial Regex Run();
}
