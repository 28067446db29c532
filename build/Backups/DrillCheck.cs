using Pipeline.Definitions;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Backups;

/// <summary>
/// A check a restore drill runs on a restored database: one SQL query whose single value must meet <see cref="Expect"/>,
/// a comparison with a number (<c>&gt;= 1</c>, <c>= 42</c>, <c>&lt; 10</c>, <c>!= 0</c>) or, without an operator, the exact
/// text. <c>database</c> limits it to one of the source's databases (default: each of them).
/// </summary>
public sealed partial record DrillCheck(string Sql, string Expect, string? Database = null)
{
    public static DrillCheck Load(DefinitionNode node)
    {
        if (!node.IsMapping) throw node.Error("a check is { sql: \"select count(*) from t\", expect: \">= 1\" }");
        node.AllowOnly("sql", "expect", "database");
        var sql = node.Required("sql", "one query returning one value").String();
        if (string.IsNullOrWhiteSpace(sql)) throw node.Required("sql").Error("is empty");
        var expectNode = node.Required("expect", "what the value must be, e.g. \">= 1\" or \"= 42\" or exact text");
        var expect = expectNode.String().Trim();
        if (expect.Length > 0 && "<>=!".Contains(expect[0]) && !Comparison().IsMatch(expect))
            throw expectNode.Error($"'{expect}' is not a comparison: write one of = != < <= > >= and a number, e.g. \">= 1\"");
        return new DrillCheck(sql, expect, node.Optional("database")?.String());
    }

    /// <summary>Null when <paramref name="value"/> (the query's output, trimmed) meets the expectation, else why not.</summary>
    public string? Judge(string value)
    {
        value = value.Trim();
        var comparison = Comparison().Match(Expect);
        if (!comparison.Success) return value == Expect ? null : $"returned '{value}', expected '{Expect}'";
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual))
            return $"returned '{value}', not a number (expected {Expect})";
        var wanted = double.Parse(comparison.Groups["number"].Value, CultureInfo.InvariantCulture);
        var met = comparison.Groups["op"].Value switch
        {
            "=" or "==" => actual == wanted,
            "!=" => actual != wanted,
            "<" => actual < wanted,
            "<=" => actual <= wanted,
            ">" => actual > wanted,
            _ => actual >= wanted,
        };
        return met ? null : $"returned {value}, expected {Expect}";
    }

    public override string ToString() => $"{Sql} (expect {Expect})";

    [GeneratedRegex(@"^(?<op>==|=|!=|<=|>=|<|>)\s*(?<number>-?\d+(\.\d+)?)$")]
    private static partial Regex Comparison();
}
