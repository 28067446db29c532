using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.Publishing;

/// <summary>One-line failures a user can act on; never containing a secret value.</summary>
public static class PublishFailures
{
    /// <summary>
    /// <c>Registry 127.0.0.1:21500 (environments/local.yml: registries/local) refused the credentials (401 Unauthorized):
    /// set the secret parameter RegistryPassword (--registry-password or REGISTRY_PASSWORD).</c>
    /// </summary>
    public static PipelineException Authentication(RegistryDefinition registry, string detail)
    {
        var how = registry.PasswordParameter is { } password
            ? $"set the secret parameter "
                + $"{Describe(password)}{(registry.UsernameParameter is { } user ? $" and the parameter {Describe(user)}" : "")}"
            : $"add credentials: (names of secret parameters, e.g. password: RegistryPassword) to {registry.Source}";
        return new PipelineException(
            $"Registry {registry.Address} ({registry.Source}) refused the credentials ({OneLine(detail)}): {how}."
        );
    }

    public static string Describe(string parameter) => $"{parameter} (--{Naming.Kebab(parameter)} or {Naming.UpperSnake(parameter)})";

    /// <summary>The engine's push error says the registry refused access.</summary>
    public static bool IsAuthenticationError(string message)
    {
        var m = message.ToLowerInvariant();
        return m.Contains("unauthorized") || m.Contains("authentication required") || m.Contains("no basic auth credentials")
            || m.Contains("denied") || System.Text.RegularExpressions.Regex.IsMatch(m, @"\b40[13]\b");
    }

    /// <summary>The engine's push error is worth retrying: a 5xx, a reset or dropped connection, a timeout.</summary>
    public static bool IsTransientError(string message)
    {
        var m = message.ToLowerInvariant();
        // Whole words only: a repository or tag such as "geofence" or "timeout-svc" is not a dropped connection.
        return System.Text.RegularExpressions.Regex.IsMatch(m, @"\b(5\d\d|eof|timeout)\b")
            || m.Contains("connection reset")
            || m.Contains("broken pipe")
            || m.Contains("connection refused")
            || m.Contains("too many requests");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
