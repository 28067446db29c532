using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Graph;

/// <summary>Readable text for condition and requirement expressions, e.g. <c>IsServerBuild</c>.</summary>
internal static partial class ExpressionText
{
    public static string Of(LambdaExpression expression)
    {
        var text = expression.Body.ToString();
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
