using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Acme;
using Pipeline.Tools.Process;

namespace Pipeline.Acme;

/// <summary>Makes one challenge answerable before the CA is told to validate it, and undoes that afterwards.</summary>
public interface IChallengeSolver
{
    string ChallengeType { get; }
    Task PresentAsync(string domain, string token, string keyAuthorization, CancellationToken ct);
    Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken ct);
}

/// <summary>HTTP-01 through the built-in responder (which must already listen).</summary>
public sealed class Http01ResponderSolver(Http01Responder responder) : IChallengeSolver
{
    public string ChallengeType => "http-01";

    public Task PresentAsync(string domain, string token, string keyAuthorization, CancellationToken ct)
    {
        responder.Add(token, keyAuthorization);
        return Task.CompletedTask;
    }

    public Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken ct)
    {
        responder.Remove(token);
        return Task.CompletedTask;
    }
}

/// <summary>HTTP-01 through token files in the directory a load balancer serves as <c>/.well-known/acme-challenge/</c>.</summary>
public sealed class TokenDirectorySolver(string directory) : IChallengeSolver
{
    public string ChallengeType => "http-01";

    public async Task PresentAsync(string domain, string token, string keyAuthorization, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(System.IO.Path.Combine(directory, token), keyAuthorization, ct);
    }

    public Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken ct)
    {
        File.Delete(System.IO.Path.Combine(directory, token));
        return Task.CompletedTask;
    }
}

/// <summary>
/// DNS-01 through a hook: <c>hook… set _acme-challenge.&lt;domain&gt;. &lt;value&gt;</c> before validation,
/// <c>hook… clear &lt;name&gt; &lt;value&gt;</c> after (also as ACME_ACTION, ACME_NAME, ACME_VALUE).
/// </summary>
public sealed class DnsHookSolver(IReadOnlyList<string> hook, string workingDirectory) : IChallengeSolver
{
    public string ChallengeType => "dns-01";

    public static string RecordName(string domain) =>
        $"_acme-challenge.{(domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain)}.";

    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> hook, string action, string domain, string keyAuthorization) =>
        [.. hook.Skip(1), action, RecordName(domain), Jws.DnsTxtValue(keyAuthorization)];

    public Task PresentAsync(string domain, string token, string keyAuthorization, CancellationToken ct) =>
        RunAsync("set", domain, keyAuthorization, ct);
    public Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken ct) =>
        RunAsync("clear", domain, keyAuthorization, ct);

    private async Task RunAsync(string action, string domain, string keyAuthorization, CancellationToken ct)
    {
        var arguments = Arguments(hook, action, domain, keyAuthorization);
        var executable = hook[0].Contains('/') ? System.IO.Path.GetFullPath(hook[0], workingDirectory) : hook[0];
        Log.Information($"DNS hook: {action} {arguments[^2]}");
        await Cli.Wrap(executable).WithArguments(arguments).WithWorkingDirectory(workingDirectory)
            .WithEnvironment("ACME_ACTION", action).WithEnvironment("ACME_NAME", arguments[^2]).WithEnvironment("ACME_VALUE", arguments[^1])
            .WithLog().RunAsync(TimeSpan.FromMinutes(2), ct);
    }
}
