using Pipeline.Definitions;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Backups;

/// <summary>
/// Exclude patterns, relative to a source's root: <c>*</c> within one name, <c>**</c> across folders, <c>?</c> one
/// character. A pattern without '/' matches a name at any depth (<c>*.tmp</c>); one with '/' matches the relative
/// path from the root (<c>cache/**</c>). A matching folder is skipped with everything under it.
/// </summary>
public sealed class ExcludeFilter
{
    private readonly Regex[] _patterns;

    public ExcludeFilter(IEnumerable<string> patterns) =>
        _patterns = patterns.Select(p => new Regex(ToRegex(p), RegexOptions.CultureInvariant)).ToArray();

    public static readonly ExcludeFilter None = new([]);

    /// <param name="relativePath">'/'-separated, from the source's root.</param>
    public bool IsExcluded(string relativePath)
    {
        foreach (var pattern in _patterns)
            if (pattern.IsMatch(relativePath)) return true;
        return false;
    }

    public static void Validate(string pattern, DefinitionNode node)
    {
        if (pattern.Trim().Length == 0) throw node.Error("an exclude pattern is empty");
        if (pattern.StartsWith('/')) throw node.Error($"'{pattern}' must be relative to the source (drop the leading '/')");
    }

    internal static string ToRegex(string pattern)
    {
        var anchored = pattern.TrimEnd('/').Contains('/');
        var sb = new StringBuilder(anchored ? "^" : "(^|/)");
        var p = pattern.TrimEnd('/');
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                i++;
                if (i + 1 < p.Length && p[i + 1] == '/') { i++; sb.Append("(.*/)?"); }
                else sb.Append(".*");
            }
            else if (p[i] == '*') sb.Append("[^/]*");
            else if (p[i] == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(p[i].ToString()));
        }
        sb.Append('$');
        return sb.ToString();
    }
}
