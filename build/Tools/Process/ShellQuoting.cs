namespace Pipeline.Tools.Process;

/// <summary>Quotes words for a POSIX shell, for the remote scripts and cloud-init lines Pipeline writes.</summary>
public static class ShellQuoting
{
    /// <summary>
    /// Returns <paramref name="value"/> unchanged when it holds only characters a shell leaves alone,
    /// otherwise wrapped in single quotes with each embedded quote written as <c>'\''</c>.
    /// </summary>
    public static string Quote(string value)
    {
        if (value.Length == 0)
            return "''";
        if (value.All(IsSafe))
            return value;
        return "'" + value.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsSafe(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '=' or ':' or ',' or '@' or '+' or '%';
}
