using Pipeline.Definitions;
using Pipeline.Deploying.Canary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Deploying.Definitions;

/// <summary>
/// Reads <c>prometheus:</c> and <c>queries: [{name, query, min, max}]</c> of one <c>rolling/analysis/&lt;name&gt;</c>, each
/// error at its key path: names unique, a query not empty with only known placeholders, at least one bound, min ≤ max, and a
/// Prometheus to ask (the analysis' own, or the environment's <c>monitoring:</c> one).
/// </summary>
internal static partial class CanaryQueryReader
{
    public static readonly string[] Keys = ["prometheus", "queries"];

    /// <param name="monitoring">The environment's Prometheus URL from its <c>monitoring:</c> section (null without one); only
    /// asked for when an analysis has queries but no <c>prometheus:</c>.</param>
    public static CanaryAnalysis Read(DefinitionNode node, CanaryAnalysis analysis, Func<Uri?> monitoring)
    {
        var own = node.Optional("prometheus") is { } p ? Url(p) : null;
        if (node.Optional("queries") is not { } list)
            return own is null ? analysis : throw node.Required("prometheus").Error("is only used by queries: add queries, or remove it");
        if (!list.IsSequence || list.Items().Count == 0)
            throw list.Error("must be a list of checks, e.g. [{name: error_ratio, query: '…', max: 0.05}]");
        var queries = list.Items().Select(Query).ToList();
        if (queries.GroupBy(q => q.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw list.Error($"query name '{twice.Key}' is used twice; give each check its own name");
        var prometheus = own ?? monitoring()
            ?? throw list.Error("queries need a Prometheus: add prometheus: host:port to this analysis, or a monitoring: section");
        return analysis with { Queries = queries, Prometheus = prometheus };
    }

    private static CanaryQuery Query(DefinitionNode node)
    {
        node.AllowOnly("name", "query", "min", "max");
        var nameNode = node.Required("name", "the check's name in the verdict line, e.g. error_ratio");
        if (!Name().IsMatch(nameNode.String()))
            throw nameNode.Error($"'{nameNode.String()}' must be letters, digits and '_' (e.g. error_ratio)");
        var queryNode = node.Required("query", "PromQL, e.g. sum(rate(haproxy_server_http_responses_total{server=~\"{{canary}}\"}[1m]))");
        var query = queryNode.String().Trim();
        if (query.Length == 0) throw queryNode.Error("must not be empty");
        if (QueryPlaceholders.Used(query).FirstOrDefault(u => !QueryPlaceholders.Names.Contains(u)) is { } unknown)
            throw queryNode.Error($"unknown placeholder {{{{{unknown}}}}}: use {{{{canary}}}}, {{{{baseline}}}} or {{{{backend}}}}");
        if (Unbalanced(query)) throw queryNode.Error("has unbalanced '{{' or '}}'; placeholders are {{canary}}, {{baseline}}, {{backend}}");
        double? min = node.Optional("min") is { } mn ? Number(mn) : null, max = node.Optional("max") is { } mx ? Number(mx) : null;
        if (min is null && max is null) throw node.Error("give min:, max: or both (the bounds the query's value must stay within)");
        if (min > max) throw node.Required("min").Error($"{min} is above max {max}");
        return new CanaryQuery(nameNode.String(), query, min, max);
    }

    /// <summary><c>host:port</c> (http) or an http(s) URL, optionally with a path prefix.</summary>
    private static Uri Url(DefinitionNode node)
    {
        var text = node.String().Trim();
        var url = text.Contains("://", StringComparison.Ordinal) ? text : $"http://{text}";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
            || !string.IsNullOrEmpty(uri.Query) || (!text.Contains("://", StringComparison.Ordinal) && !HostPort().IsMatch(text)))
            throw node.Error($"'{text}' must be host:port or an http(s) URL of Prometheus, e.g. 127.0.0.1:9090");
        return uri;
    }

    private static double Number(DefinitionNode node) =>
        double.TryParse(node.String().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw node.Error($"'{node.String()}' must be a number, e.g. 0.05");

    private static bool Unbalanced(string query)
    {
        var stripped = Placeholder().Replace(query, "");
        return stripped.Contains("{{", StringComparison.Ordinal) || stripped.Contains("}}", StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$")]
    private static partial Regex HostPort();

    [GeneratedRegex(@"\{\{\s*[A-Za-z_]+\s*\}\}")]
    private static partial Regex Placeholder();
}
