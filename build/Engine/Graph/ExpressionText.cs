using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Graph;

/// <summary>
/// Readable text for condition and requirement expressions, as the code declared them:
/// <c>IsServerBuild</c>, <c>!IsLocalBuild</c>, <c>Configuration == "Release" &amp;&amp; Force</c>.
/// </summary>
internal static partial class ExpressionText
{
    private static readonly Dictionary<ExpressionType, string> Operators = new()
    {
        [ExpressionType.Equal] = "==",
        [ExpressionType.NotEqual] = "!=",
        [ExpressionType.AndAlso] = "&&",
        [ExpressionType.OrElse] = "||",
        [ExpressionType.And] = "&",
        [ExpressionType.Or] = "|",
        [ExpressionType.Coalesce] = "??",
        [ExpressionType.GreaterThan] = ">",
        [ExpressionType.GreaterThanOrEqual] = ">=",
        [ExpressionType.LessThan] = "<",
        [ExpressionType.LessThanOrEqual] = "<=",
        [ExpressionType.Add] = "+",
        [ExpressionType.Subtract] = "-",
    };

    public static string Of(LambdaExpression expression) => Print(expression.Body, top: true);

    private static string Print(Expression? e, bool top = false) => e switch
    {
        UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } u => Print(u.Operand, top),
        UnaryExpression { NodeType: ExpressionType.Not } u => "!" + Print(u.Operand),
        BinaryExpression b when Operators.TryGetValue(b.NodeType, out var op) =>
            top ? $"{Print(b.Left)} {op} {Print(b.Right)}" : $"({Print(b.Left)} {op} {Print(b.Right)})",
        // A member of the build (this) or a captured local: just its name.
        MemberExpression { Expression: ConstantExpression } m => m.Member.Name,
        MemberExpression { Expression: null } m => $"{m.Member.DeclaringType?.Name}.{m.Member.Name}",
        MemberExpression m => $"{Print(m.Expression)}.{m.Member.Name}",
        ConstantExpression { Value: string s } => $"\"{s}\"",
        ConstantExpression { Value: bool b } => b ? "true" : "false",
        ConstantExpression c => c.Value?.ToString() ?? "null",
        _ => Fallback(e),
    };

    /// <summary>Other shapes (method calls, …): the expression's own text without closure noise.</summary>
    private static string Fallback(Expression? e)
    {
        var text = e?.ToString() ?? "";
        text = ClosurePrefix().Replace(text, "");
        text = ConvertCall().Replace(text, "$1");
        return text;
    }

    /// <summary>The member a requirement like <c>() => Environment</c> names, or null for other shapes.</summary>
    public static string? MemberName(LambdaExpression expression)
    {
        var body = expression.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } unary)
            body = unary.Operand;
        return body is MemberExpression member ? member.Member.Name : null;
    }

    [GeneratedRegex(@"value\([^)]*\)\.")]
    private static partial Regex ClosurePrefix();

    [GeneratedRegex(@"Convert\(([^,()]+)(?:, [^)]*)?\)")]
    private static partial Regex ConvertCall();
}
