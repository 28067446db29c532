using System.Text.RegularExpressions;

namespace Pipeline.Server.Jobs;

/// <summary>The body of <c>POST /api/jobs</c>: targets to run on one environment, with parameters (kebab-case names).</summary>
public sealed partial record JobRequest(
    IReadOnlyList<string>? Targets,
    string? Environment,
    IReadOnlyDictionary<string, string>? Parameters
)
{
    /// <summary>Why the request cannot be queued, or null. Secret parameters come from the server's environment, never from a
    /// request: they would otherwise sit in the queue's file and in every answer about the job.</summary>
    public string? Problem(IReadOnlyList<string> secretVariables, string environmentsDirectory)
    {
        if (Targets is not { Count: > 0 }) return "targets: name at least one target, e.g. [\"Deploy\"]";
        if (Targets.FirstOrDefault(t => !TargetName().IsMatch(t)) is { } bad) return $"targets: '{bad}' is not a target name";
        if (Environment is null || !EnvironmentName().IsMatch(Environment)) return "environment: name one of environments/<name>.yml";
        if (!File.Exists(Path.Combine(environmentsDirectory, $"{Environment}.yml")))
            return $"environment: environments/{Environment}.yml does not exist";
        foreach (var (name, value) in Parameters ?? new Dictionary<string, string>())
        {
            if (!ParameterName().IsMatch(name)) return $"parameters: '{name}' is not a kebab-case parameter name";
            if (name is "environment") return "parameters: give the environment as 'environment', not as a parameter";
            if (value.Contains('\n') || value.Contains('\0')) return $"parameters/{name}: a value is one line";
            if (secretVariables.Contains(UpperSnake(name)))
                return $"parameters/{name}: a secret parameter is read from the server's environment ({UpperSnake(name)}), "
                    + "never from a request";
        }
        return null;
    }

    public static string UpperSnake(string kebab) => kebab.Replace('-', '_').ToUpperInvariant();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,63}$")]
    private static partial Regex TargetName();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex ParameterName();
}
