using System.Text;

namespace Pipeline.Tools.Process;

/// <summary>Renders a command line the way a POSIX shell user would type it. For display only.</summary>
public static class ShellQuoting
{
    /// <summary>Renders the target and its arguments, each quoted as needed, separated by spaces.</summary>
    public static string Render(string targetFile, IEnumerable<string> arguments)
    {
        var builder = new StringBuilder(Quote(targetFile));
        foreach (var argument in arguments)
            builder.Append(' ').Append(Quote(argument));
        return builder.ToString();
    }

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
