namespace Pipeline.Server.Access;

/// <summary>
/// What a token may do: the environments it may read (and, unless read-only, run jobs on) and the targets it may start.
/// Written as a list such as <c>env:staging,target:Deploy,target:Plan</c>, <c>env:*,target:*</c> or <c>env:*,read-only</c>.
/// </summary>
public sealed record TokenScopes(IReadOnlyList<string> Environments, IReadOnlyList<string> Targets, bool ReadOnly)
{
    public static TokenScopes Parse(string text)
    {
        List<string> environments = [], targets = [];
        var readOnly = false;
        foreach (var item in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Equals("read-only", StringComparison.OrdinalIgnoreCase)) readOnly = true;
            else if (item.StartsWith("env:", StringComparison.OrdinalIgnoreCase)) environments.Add(Name(item[4..], item));
            else if (item.StartsWith("target:", StringComparison.OrdinalIgnoreCase)) targets.Add(Name(item[7..], item));
            else
                throw new FormatException(
                    $"Unknown token scope '{item}': use env:<environment>, target:<Target> (or * for all) and read-only, comma-separated."
                );
        }
        if (environments.Count == 0)
            throw new FormatException("A token needs at least one env:<environment> scope (env:* for all environments).");
        if (!readOnly && targets.Count == 0)
            throw new FormatException("A token that may start jobs needs at least one target:<Target> scope (or read-only).");
        return new TokenScopes(environments, targets, readOnly);
    }

    private static string Name(string value, string item) =>
        value == "*" || (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            ? value
            : throw new FormatException($"Token scope '{item}' names no valid environment or target.");

    public bool MayRead(string environment) => Environments.Any(e => e == "*" || e.Equals(environment, StringComparison.Ordinal));

    public bool MayRun(string environment, IEnumerable<string> targets) =>
        !ReadOnly && MayRead(environment) && targets.All(t => Targets.Any(s => s == "*" || Key(s) == Key(t)));

    /// <summary>Target names compare as the build matches them: case-insensitive, dashes ignored.</summary>
    private static string Key(string target) => target.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    public override string ToString() =>
        string.Join(",",
            Environments.Select(e => $"env:{e}").Concat(Targets.Select(t => $"target:{t}")).Concat(ReadOnly ? ["read-only"] : []));
}
