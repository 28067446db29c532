using FluentAssertions;
using Octokit;
using Octokit.Internal;
using Pipeline.IntegrationTests.CI;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Pipeline.IntegrationTests.Serving;

/// <summary>
/// Serve's github-actions executor against the local GitHub fake: a job becomes a workflow_dispatch of the repository's generated
/// pipeline.yml, followed to its end with the workflow's jobs in the job's log; a failed run fails the job; cancelling the job
/// cancels the run. The job's targets and parameters travel as the workflow's dispatch inputs and select its jobs (the fake
/// evaluates the jobs' <c>if:</c> as GitHub does); a run that ran no job fails the job. The fake's answers are refereed by
/// Octokit's own models. Ports 25905–25907.
/// </summary>
public sealed class GitHubActionsExecutorTests
{
    private const string Token = "ghs_localfakeactionstoken";
    private const string Repository = "acme/shop";

    [Fact]
    public async Task A_job_dispatches_the_generated_workflow_with_its_targets_and_parameters_and_follows_its_run_to_success()
    {
        using var github = new FakeGitHubApi(Token, Repository);
        await using var server = await StartAsync(github, 25905);
        var operatorToken = await server.MintAsync("operator", "env:staging,target:Certificates,target:Deploy");

        var id = await SubmitAsync(server, operatorToken, "staging", ["Certificates", "Deploy"],
            new Dictionary<string, string> { ["verbosity"] = "minimal" });
        var (status, log) = await WaitAsync(server, operatorToken, id);

        status.Should().Be("succeeded", log);
        var run = github.Runs.Should().ContainSingle().Subject;
        (run.Workflow, run.Ref, run.Inputs.ToJsonString()).Should().Be(("pipeline.yml", "main",
            """{"environment":"staging","targets":"Certificates Deploy","parameters":"--verbosity=minimal"}"""));
        log.Should().Contain($"https://github.com/{Repository}/actions/runs/{run.Id}").And.Contain("in_progress")
            .And.Contain("completed (success)").And.NotContain(Token);
        // Staging's deploy and every job it waits for ran; production's deploy was not asked for.
        foreach (var job in WorkflowJobNames().Where(n => n != "Deploy to production")) log.Should().Contain($"{job}: completed (success)");
        log.Should().Contain("Deploy to production: completed (skipped)").And.NotContain("Deploy to production: in_progress");
    }

    [Fact]
    public async Task A_job_whose_targets_cover_no_stage_fails_and_one_whose_parameters_cannot_travel_is_never_dispatched()
    {
        using var github = new FakeGitHubApi(Token, Repository);
        await using var server = await StartAsync(github, 25907);
        var operatorToken = await server.MintAsync("operator", "env:staging,target:Certificates,target:Deploy");

        // Certificates alone is part of staging's deploy stage: running that job would deploy, so nothing runs.
        var partial = await SubmitAsync(server, operatorToken, "staging", ["Certificates"]);
        var (status, log) = await WaitAsync(server, operatorToken, partial);
        status.Should().Be("failed", log);
        log.Should().Contain("No job of pipeline.yml ran").And.Contain("Deploy to staging: completed (skipped)");
        github.Runs.Should().ContainSingle().Which.Inputs["targets"]!.ToString().Should().Be("Certificates");

        var spaced = await SubmitAsync(server, operatorToken, "staging", ["Certificates", "Deploy"],
            new Dictionary<string, string> { ["verbosity"] = "very much" });
        (status, log) = await WaitAsync(server, operatorToken, spaced);
        status.Should().Be("failed", log);
        log.Should().Contain("parameters/verbosity").And.Contain("local executor");
        github.Runs.Should().HaveCount(1, "a job whose parameters cannot travel is refused before the dispatch");
    }

    [Fact]
    public async Task A_failed_run_fails_the_job_and_cancelling_a_job_cancels_its_run()
    {
        using var github = new FakeGitHubApi(Token, Repository) { RunConclusion = "failure", PollsInProgress = 1 };
        await using var server = await StartAsync(github, 25906);
        var operatorToken = await server.MintAsync("operator", "env:staging,target:Certificates,target:Deploy");

        var failed = await SubmitAsync(server, operatorToken, "staging", ["Certificates", "Deploy"]);
        (await WaitAsync(server, operatorToken, failed)).Status.Should().Be("failed");

        github.PollsInProgress = 1000;
        var cancelled = await SubmitAsync(server, operatorToken, "staging", ["Certificates", "Deploy"]);
        while (github.Runs.Count < 2) await Task.Delay(100);
        using var http = Client(server, operatorToken);
        (await http.DeleteAsync($"/api/jobs/{cancelled}")).EnsureSuccessStatusCode();
        var (status, log) = await WaitAsync(server, operatorToken, cancelled);
        status.Should().Be("cancelled", log);
        github.Runs[1].Conclusion.Should().Be("cancelled");
        github.Requests.Should().Contain(r => r.Method == "POST" && r.Path.EndsWith($"/actions/runs/{github.Runs[1].Id}/cancel"));
    }

    [Fact]
    public async Task The_fakes_answers_carry_only_fields_of_Octokits_models_and_parse_into_them()
    {
        using var github = new FakeGitHubApi(Token, Repository);
        var client = new GitHubClient(new Connection(new Octokit.ProductHeaderValue("Pipeline-Test", "1.0"), new Uri(github.Url + "/"),
            new InMemoryCredentialStore(new Credentials(Token, AuthenticationType.Bearer)),
            new HttpClientAdapter(() => new VersionPin()), new SimpleJsonSerializer()));

        await client.Actions.Workflows.CreateDispatch("acme", "shop", "pipeline.yml",
            new CreateWorkflowDispatch("main") { Inputs = new Dictionary<string, object> { ["environment"] = "production" } });
        var runs = await client.Actions.Workflows.Runs.ListByWorkflow("acme", "shop", "pipeline.yml",
            new WorkflowRunsRequest { Event = "workflow_dispatch", Branch = "main" });
        var run = await client.Actions.Workflows.Runs.Get("acme", "shop", runs.WorkflowRuns.Single().Id);
        var jobs = await client.Actions.Workflows.Jobs.List("acme", "shop", run.Id);

        (run.Status.StringValue, run.Event, run.HeadBranch, run.RunNumber).Should().Be(("in_progress", "workflow_dispatch", "main", 1));
        run.HtmlUrl.Should().EndWith($"/actions/runs/{run.Id}");
        jobs.Jobs.Select(j => j.Name).Should().Equal(WorkflowJobNames());
        jobs.Jobs.Should().OnlyContain(j => j.RunId == run.Id && j.Steps.Count > 0 && j.Steps.All(s => s.Name.Length > 0));
        foreach (var (path, model) in new[]
                 {
                     ("actions/workflows/pipeline.yml/runs", typeof(WorkflowRunsResponse)),
                     ($"actions/runs/{run.Id}", typeof(WorkflowRun)),
                     ($"actions/runs/{run.Id}/jobs", typeof(WorkflowJobsResponse)),
                 })
            UnknownFields(JsonNode.Parse(await Raw(github, path))!, model).Should().BeEmpty($"{path} answers {model.Name}'s fields");

        var refused = () => client.Actions.Workflows.CreateDispatch("acme", "shop", "pipeline.yml",
            new CreateWorkflowDispatch("main") { Inputs = new Dictionary<string, object> { ["environment"] = "moon" } });
        (await refused.Should().ThrowAsync<ApiValidationException>()).Which.Message.Should().Contain("not in the list of allowed values");
        var unexpected = () => client.Actions.Workflows.CreateDispatch("acme", "shop", "pipeline.yml",
            new CreateWorkflowDispatch("main") { Inputs = new Dictionary<string, object> { ["target"] = "Deploy" } });
        (await unexpected.Should().ThrowAsync<ApiValidationException>()).Which.Message.Should().Contain("Unexpected inputs");
    }

    /// <summary>JSON fields (recursively) that no property of the Octokit model they land in names (snake_case).</summary>
    private static IEnumerable<string> UnknownFields(JsonNode node, Type model)
    {
        if (node is JsonArray array)
            return array.OfType<JsonNode>().SelectMany(n => UnknownFields(n, model));
        if (node is not JsonObject json) return [];
        var properties = model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => string.Concat(p.Name.Select((c, i) => i > 0 && char.IsUpper(c) ? $"_{char.ToLowerInvariant(c)}"
                : char.ToLowerInvariant(c).ToString())), p => p.PropertyType);
        return json.SelectMany(field => !properties.TryGetValue(field.Key, out var type) ? [$"{model.Name}.{field.Key}"]
            : field.Value is null ? [] : UnknownFields(field.Value, Element(type)));
    }

    private static Type Element(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var element] && !type.Name.StartsWith("StringEnum") ? element : type;

    private static async Task<string> Raw(FakeGitHubApi github, string path)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        http.DefaultRequestHeaders.Add("Accept", "application/vnd.github+json");
        http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        http.DefaultRequestHeaders.Add("User-Agent", "pipeline-test");
        return await http.GetStringAsync($"{github.Url}/repos/{Repository}/{path}");
    }

    /// <summary>The names of the generated workflow's jobs, as GitHub lists them.</summary>
    private static IReadOnlyList<string> WorkflowJobNames()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Packaging.RepositoryRoot.Path, ".github", "workflows", "pipeline.yml")))
            yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var jobs = (YamlMappingNode)root.Children[new YamlScalarNode("jobs")];
        return [.. jobs.Children.Select(j => j.Value is YamlMappingNode m
            && m.Children.TryGetValue(new YamlScalarNode("name"), out var n) ? n.ToString() : j.Key.ToString())];
    }

    private static Task<ServeProcess> StartAsync(FakeGitHubApi github, int port) =>
        ServeProcess.StartAsync(Packaging.RepositoryRoot.Path, "/bin/false", port,
            new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token },
            "--executor", "github-actions", "--github-api-url", github.Url, "--github-repository", Repository,
            "--github-poll-ms", "100", "--rate-limit", "100000", "--secret-variables", "GITHUB_TOKEN");

    private static HttpClient Client(ServeProcess server, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<string> SubmitAsync(ServeProcess server, string token, string environment, string[] targets,
        Dictionary<string, string>? parameters = null)
    {
        using var http = Client(server, token);
        var response = await http.PostAsJsonAsync("/api/jobs", new { targets, environment, parameters = parameters ?? [] });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<(string Status, string Log)> WaitAsync(ServeProcess server, string token, string id)
    {
        using var http = Client(server, token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string status;
        do
        {
            await Task.Delay(200);
            status = (await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("status").GetString()!;
        } while (status is "queued" or "running" && DateTime.UtcNow < deadline);
        return (status, await http.GetStringAsync($"/api/jobs/{id}/log"));
    }

    /// <summary>Pins the REST API version (Octokit does not), as Pipeline's clients do.</summary>
    private sealed class VersionPin() : DelegatingHandler(HttpMessageHandlerFactory.CreateDefault())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
            if (request.Content?.Headers.ContentType is { } type) type.MediaType = "application/json";
            return base.SendAsync(request, ct);
        }
    }
}
