using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.IntegrationTests.CI;

/// <summary>
/// A local fake of the GitHub REST endpoints Pipeline calls (deployments and statuses here; the Actions endpoints of the
/// control plane's github-actions executor in FakeGitHubApi.Actions.cs), checking what GitHub documents:
/// <c>Authorization: Bearer</c>, a GitHub media type in <c>Accept</c> (<c>application/vnd.github+json</c> or the
/// equivalent <c>application/vnd.github.v3+json</c> Octokit sends), <c>X-GitHub-Api-Version</c>, a User-Agent, a
/// JSON body with the required fields and valid states. Answers 201 with an id, or GitHub's 401/404/422 shapes.
/// <see cref="FailWith"/> makes every call fail (to test that failures are only warnings). With an
/// <c>apiPath</c> (GitHub Enterprise Server: <c>/api/v3</c>) it answers only under that path.
/// </summary>
public sealed partial class FakeGitHubApi : IDisposable
{
    private static readonly string[] DeploymentStates = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
    private static readonly string[] CommitStates = ["error", "failure", "pending", "success"];
    private static readonly string[] MediaTypes = ["application/vnd.github+json", "application/vnd.github.v3+json"];
    private readonly LocalHttpServer _server;
    private long _nextId = 1000;

    public FakeGitHubApi(string token, string repository, string apiPath = "")
    {
        Token = token;
        Repository = repository;
        ApiPath = apiPath;
        _server = new LocalHttpServer(Handle);
    }

    public string Token { get; }
    public string Repository { get; }
    public string ApiPath { get; }
    /// <summary>The API root, as GITHUB_API_URL names it.</summary>
    public string Url => _server.Url + ApiPath;
    public int? FailWith { get; set; }
    public IReadOnlyList<RecordedRequest> Requests => _server.Requests.ToList();
    /// <summary>Requests the fake accepted, as (path, body).</summary>
    public List<(string Path, JsonObject Body)> Accepted { get; } = [];

    private (int, string) Handle(RecordedRequest request)
    {
        if (FailWith is { } status) return (status, """{"message":"Server Error"}""");
        if (request.Headers.GetValueOrDefault("Authorization") != $"Bearer {Token}") return (401, """{"message":"Bad credentials"}""");
        if (!request.Path.StartsWith(ApiPath + "/")) return (404, """{"message":"Not Found"}""");
        request = request with { Path = request.Path[ApiPath.Length..] };
        if (!MediaTypes.Contains(request.Headers.GetValueOrDefault("Accept"))
            || request.Headers.GetValueOrDefault("X-GitHub-Api-Version") != "2022-11-28"
            || string.IsNullOrEmpty(request.Headers.GetValueOrDefault("User-Agent"))
            || (request.Body.Length > 0 && !(request.Headers.GetValueOrDefault("Content-Type") ?? "").StartsWith("application/json"))
            || (request.Method == "POST" && !request.Path.Contains("/actions/")
                && !(request.Headers.GetValueOrDefault("Content-Type") ?? "").StartsWith("application/json")))
            return (400, """{"message":"Missing or wrong Accept, X-GitHub-Api-Version, User-Agent or Content-Type header"}""");
        if (request.Path.StartsWith($"/repos/{Repository}/actions/", StringComparison.Ordinal)) return HandleActions(request);
        if (request.Method != "POST") return (404, """{"message":"Not Found"}""");
        var body = JsonNode.Parse(request.Body) as JsonObject;
        if (body is null) return (400, """{"message":"Problems parsing JSON"}""");

        var prefix = $"/repos/{Repository}";
        if (request.Path == $"{prefix}/deployments")
        {
            if (Text(body, "ref") is null || Text(body, "environment") is null) return Invalid();
            return Accept(request, body, 201);
        }
        if (DeploymentStatusPath().Match(request.Path) is { Success: true } m && request.Path.StartsWith(prefix))
        {
            if (!Accepted.Any(a => a.Path == $"{prefix}/deployments" && a.Body["id"]?.GetValue<long>() == long.Parse(m.Groups[1].Value)))
                return (404, """{"message":"Not Found"}""");
            if (!DeploymentStates.Contains(Text(body, "state"))) return Invalid();
            return Accept(request, body, 201);
        }
        if (CommitStatusPath().IsMatch(request.Path) && request.Path.StartsWith(prefix))
        {
            if (!CommitStates.Contains(Text(body, "state"))) return Invalid();
            return Accept(request, body, 201);
        }
        return (404, """{"message":"Not Found"}""");
    }

    private (int, string) Accept(RecordedRequest request, JsonObject body, int status)
    {
        var id = Interlocked.Increment(ref _nextId);
        body["id"] = id;
        lock (Accepted) Accepted.Add((request.Path, body));
        return (status, new JsonObject { ["id"] = id, ["url"] = $"{Url}{request.Path}/{id}" }.ToJsonString());
    }

    private static (int, string) Invalid() => (422, """{"message":"Validation Failed"}""");
    private static string? Text(JsonObject body, string key) => body[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex(@"^/repos/[^/]+/[^/]+/deployments/(\d+)/statuses$")]
    private static partial Regex DeploymentStatusPath();

    [GeneratedRegex(@"^/repos/[^/]+/[^/]+/statuses/[0-9a-f]{40}$")]
    private static partial Regex CommitStatusPath();

    public void Dispose() => _server.Dispose();
}
