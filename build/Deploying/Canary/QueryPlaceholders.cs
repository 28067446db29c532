using Pipeline.Engine;
using System.Text.RegularExpressions;

namespace Pipeline.Deploying.Canary;

/// <summary>
/// What a canary query may refer to: <c>{{canary}}</c> and <c>{{baseline}}</c>, a regex of the step's HAProxy server names
/// (<c>web-canary-1|web-canary-2</c>, for <c>server=~"{{canary}}"</c>), and <c>{{backend}}</c>, the group's backend (the
/// <c>proxy</c> label of HAProxy's exporter). The names need no escaping: HAProxy server names of a group are letters, digits,
/// '-' and '_'.
/// </summary>
public sealed partial record QueryPlaceholders(string Backend, IReadOnlyList<string> Canary, IReadOnlyList<string> Baseline)
{
    public static readonly string[] Names = ["canary", "baseline", "backend"];

    public string Render(string query) => Placeholder().Replace(query, m => m.Groups[1].Value switch
    {
        "canary" => Alternation(Canary, "canary"),
        "baseline" => Alternation(Baseline, "baseline"),
        "backend" => Backend,
        var other => throw new PipelineException($"unknown placeholder {{{{{other}}}}} in '{query}'; use {{{{canary}}}}, "
            + "{{baseline}} or {{backend}}"),
    });

    /// <summary>The placeholders <paramref name="query"/> uses (<c>{{ name }}</c>, spaces allowed).</summary>
    public static IEnumerable<string> Used(string query) => Placeholder().Matches(query).Select(m => m.Groups[1].Value);

    private static string Alternation(IReadOnlyList<string> servers, string role)
    {
        if (servers.Count == 0)
            throw new PipelineException($"a query uses {{{{{role}}}}} but this step has no {role} instances; "
                + (role == "baseline" ? "remove baseline: false, or the placeholder" : "remove the placeholder"));
        if (servers.FirstOrDefault(s => !ServerName().IsMatch(s)) is { } odd)
            throw new PipelineException($"server name '{odd}' cannot go into a PromQL regex unescaped; name groups with a-z, 0-9, '-'");
        return string.Join('|', servers);
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_]+)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ServerName();
}
