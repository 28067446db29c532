using System.Text.RegularExpressions;

namespace Pipeline.Packaging.Definitions;

/// <summary>The shapes Debian (Policy §5.6) and systemd accept for the values a definition carries.</summary>
public static partial class DebianSyntax
{
    public static readonly IReadOnlyList<string> Priorities = ["required", "important", "standard", "optional", "extra"];
    public static readonly IReadOnlyList<string> RestartPolicies =
    [
        "no",
        "always",
        "on-success",
        "on-failure",
        "on-abnormal",
        "on-abort",
        "on-watchdog",
    ];

    public static bool IsPackageName(string value) => PackageName().IsMatch(value);
    public static bool IsSemanticVersion(string value) => SemanticVersion().IsMatch(value);
    public static bool IsUserName(string value) => UserName().IsMatch(value);
    public static bool IsMaintainer(string value) => Maintainer().IsMatch(value);
    public static bool IsSection(string value) => Section().IsMatch(value);
    public static bool IsSystemdUnitName(string value) => UnitName().IsMatch(value);
    public static bool IsHomepage(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || uri.Scheme == "http");

    /// <summary>One entry of Depends: alternatives separated by '|', each a name with an optional version constraint.</summary>
    public static bool IsRelation(string value) => value.Split('|').All(part => Relation().IsMatch(part.Trim()));

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageName();

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z]+(\.[0-9A-Za-z]+)*)?$")]
    private static partial Regex SemanticVersion();

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserName();

    [GeneratedRegex(@"^[^<>,\n]+ <[^<>@\s]+@[^<>\s]+>$")]
    private static partial Regex Maintainer();

    [GeneratedRegex("^[a-z0-9-]+(/[a-z0-9-]+)?$")]
    private static partial Regex Section();

    [GeneratedRegex(@"^[A-Za-z0-9@_.\\:-]+\.(target|service|socket|mount|path|timer)$")]
    private static partial Regex UnitName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?( \((<<|<=|=|>=|>>) [0-9][A-Za-z0-9.+~:-]*\))?$")]
    private static partial Regex Relation();
}
