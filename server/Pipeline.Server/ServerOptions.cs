using Microsoft.Extensions.Configuration;

namespace Pipeline.Server;

/// <summary>
/// The server's settings, from its command line (<c>--listen 127.0.0.1:8080 --root /repo</c>) or PIPELINE_SERVE_* variables:
/// where it listens, the repository whose <c>./build.sh</c> runs the jobs, and the state folder under <c>.nuke/temp/serve</c>.
/// <c>--executor github-actions</c> dispatches the jobs to GitHub's runners instead (<see cref="Jobs.GitHubActionsOptions"/>).
/// </summary>
public sealed record ServerOptions(
    string Root,
    string Listen,
    string StateDirectory,
    string BuildScript,
    IReadOnlyList<string> SecretVariables,
    int RateLimitPerMinute,
    TimeSpan CancelGrace,
    GitHubHookOptions GitHub,
    string LockDirectory,
    TimeSpan RefreshInterval,
    string Executor,
    Jobs.GitHubActionsOptions Actions
)
{
    public const string DefaultListen = "127.0.0.1:8780";

    public string DatabasePath => Path.Combine(StateDirectory, "pipeline.db");
    public string JobLogDirectory => Path.Combine(StateDirectory, "jobs");
    public string EnvironmentsDirectory => Path.Combine(Root, "environments");

    public static ServerOptions From(IConfiguration configuration)
    {
        var root = Path.GetFullPath(configuration["root"] ?? Environment.GetEnvironmentVariable("PIPELINE_ROOT") ?? ".");
        var state = configuration["state"] is { Length: > 0 } s ? Path.GetFullPath(s) : Path.Combine(root, ".nuke", "temp", "serve");
        return new ServerOptions(
            root,
            configuration["listen"] ?? DefaultListen,
            state,
            configuration["build-script"] is { Length: > 0 } script ? Path.GetFullPath(script) : Path.Combine(root, "build.sh"),
            List(configuration["secret-variables"]),
            int.TryParse(configuration["rate-limit"], out var limit) && limit > 0 ? limit : 120,
            TimeSpan.FromSeconds(int.TryParse(configuration["cancel-grace"], out var grace) && grace > 0 ? grace : 60),
            new GitHubHookOptions(
                configuration["github-branch"] ?? "main",
                List(configuration["github-targets"] ?? "Deploy"),
                configuration["github-environment"] ?? "staging"
            ),
            configuration["lock-directory"] ?? "/var/lock/pipeline",
            TimeSpan.FromSeconds(int.TryParse(configuration["refresh-seconds"], out var refresh) && refresh > 0 ? refresh : 10),
            configuration["executor"] ?? "local",
            Jobs.GitHubActionsOptions.From(configuration)
        );
    }

    private static IReadOnlyList<string> List(string? value) =>
        (value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The URL Kestrel binds: <c>host:port</c>, or a whole <c>http://</c> URL.</summary>
    public string Url => Listen.Contains("://", StringComparison.Ordinal) ? Listen : $"http://{Listen}";
}

/// <summary>What a verified GitHub push to <see cref="Branch"/> starts.</summary>
public sealed record GitHubHookOptions(string Branch, IReadOnlyList<string> Targets, string Environment);
