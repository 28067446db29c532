using System.Text;

namespace Pipeline.Engine.Parameters;

/// <summary>PascalCase member names to <c>kebab-case</c> flags and <c>UPPER_SNAKE</c> variables, and the lookup key.</summary>
public static class Naming
{
    public static string Kebab(string name) => Split(name, '-').ToLowerInvariant();
    public static string UpperSnake(string name) => Split(name, '_').ToUpperInvariant();

    /// <summary>Case-insensitive, separators ignored: <c>--max-unavailable</c>, <c>MAX_UNAVAILABLE</c>, <c>MaxUnavailable</c>
    /// match.</summary>
    public static string Key(string name) =>
        name.TrimStart('-').Replace("-", "").Replace("_", "").ToLowerInvariant();

    private static string Split(string name, char separator)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary =
                i > 0
                && char.IsUpper(c)
                && (
                    char.IsLower(name[i - 1])
                    || char.IsDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))
                );
            if (boundary) sb.Append(separator);
            sb.Append(c == '-' || c == '_' ? separator : c);
        }
        return sb.ToString();
    }
}
