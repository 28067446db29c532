using System.Text.RegularExpressions;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// The part of GitHub's expression language the generated workflows use, evaluated as GitHub documents it: <c>||</c>,
/// <c>&amp;&amp;</c>, <c>!</c>, <c>==</c>/<c>!=</c> (strings compared case-insensitively, null as ''), parentheses, '…' literals,
/// contexts (<c>github.*</c>, <c>inputs.*</c>, <c>secrets.*</c>, <c>vars.*</c>, <c>steps.*</c>, <c>needs.*</c>, <c>runner.*</c>; an
/// absent secret, variable, input or output is ''), and the functions <c>contains</c> (case-insensitive), <c>format</c>,
/// <c>hashFiles</c>, <c>success</c>, <c>failure</c>, <c>always</c>. Anything else throws, so a workflow that outgrows this
/// reading fails its test instead of passing by accident.
/// </summary>
public static partial class WorkflowExpression
{
    private static readonly string[] MaybeAbsent = ["inputs.", "secrets.", "vars.", "steps.", "needs.", "env."];

    /// <summary>What an expression reads: context values, the job's status so far, and <c>hashFiles</c>.</summary>
    public sealed record Scope(IReadOnlyDictionary<string, string?> Contexts)
    {
        public bool Succeeded { get; init; } = true;
        public bool Failed { get; init; }
        public Func<IReadOnlyList<string>, string>? HashFiles { get; init; }
    }

    /// <summary>Whether a job or step with this <c>if:</c> runs: without a status function, only when all before succeeded.</summary>
    public static bool Runs(string? condition, Scope scope)
    {
        if (string.IsNullOrWhiteSpace(condition)) return scope.Succeeded;
        var evaluator = Evaluate(condition.Trim() is var c && c.StartsWith("${{") ? c[3..^2] : c, scope, out var value);
        return evaluator.UsedStatus ? Truthy(value) : scope.Succeeded && Truthy(value);
    }

    /// <summary>The text with every <c>${{ … }}</c> replaced by its value.</summary>
    public static string Interpolate(string text, Scope scope) =>
        Placeholder().Replace(text, m => { Evaluate(m.Groups[1].Value, scope, out var value); return Text(value); });

    private static Evaluator Evaluate(string expression, Scope scope, out object? value)
    {
        var tokens = ExpressionToken().Matches(expression).Select(m => m.Value).ToList();
        var evaluator = new Evaluator(tokens, scope);
        value = evaluator.Or();
        if (evaluator.Position != tokens.Count)
            throw new NotSupportedException($"Unexpected '{tokens[evaluator.Position]}' in {expression}");
        return evaluator;
    }

    private static bool Truthy(object? value) => value switch { null => false, bool b => b, string s => s.Length > 0, _ => true };

    private static string Text(object? value) => value switch { null => "", bool b => b ? "true" : "false", _ => value.ToString()! };

    private sealed class Evaluator(List<string> tokens, Scope scope)
    {
        public int Position { get; private set; }
        public bool UsedStatus { get; private set; }

        private string? Peek => Position < tokens.Count ? tokens[Position] : null;

        private string Next() => Position < tokens.Count ? tokens[Position++] : throw new NotSupportedException("Unexpected end");

        public object? Or()
        {
            var left = And();
            while (Peek == "||") { Next(); var right = And(); left = Truthy(left) ? left : right; }
            return left;
        }

        private object? And()
        {
            var left = Unary();
            while (Peek == "&&") { Next(); var right = Unary(); left = !Truthy(left) ? left : right; }
            return left;
        }

        private object? Unary()
        {
            if (Peek != "!") return Compare();
            Next();
            return !Truthy(Unary());
        }

        private object? Compare()
        {
            var left = Primary();
            if (Peek is not ("==" or "!=")) return left;
            var equal = Next() == "==";
            var same = string.Equals(Text(left), Text(Primary()), StringComparison.OrdinalIgnoreCase);
            return same == equal;
        }

        private object? Primary()
        {
            var token = Next();
            if (token == "(") { var inner = Or(); Expect(")"); return inner; }
            if (token.StartsWith('\'')) return token[1..^1].Replace("''", "'");
            if (token is "true" or "false") return token == "true";
            if (Peek != "(") return Context(token);
            Next();
            var args = new List<object?>();
            while (Peek != ")") { args.Add(Or()); if (Peek == ",") Next(); }
            Expect(")");
            switch (token)
            {
                case "contains": return Text(args[0]).Contains(Text(args[1]), StringComparison.OrdinalIgnoreCase);
                case "format": return Regex.Replace(Text(args[0]), @"\{(\d+)\}", m => Text(args[int.Parse(m.Groups[1].Value) + 1]));
                case "hashFiles" when scope.HashFiles is { } hash: return hash([.. args.Select(Text)]);
                case "always": UsedStatus = true; return true;
                case "success": UsedStatus = true; return scope.Succeeded;
                case "failure": UsedStatus = true; return scope.Failed;
                default: throw new NotSupportedException($"Unknown function {token}");
            }
        }

        private string? Context(string name) =>
            scope.Contexts.TryGetValue(name, out var value) ? value
            : MaybeAbsent.Any(p => name.StartsWith(p, StringComparison.Ordinal)) ? null
            : throw new NotSupportedException($"Unknown context {name}");

        private void Expect(string token)
        {
            if (Next() != token) throw new NotSupportedException($"Expected {token}");
        }
    }

    [GeneratedRegex(@"\$\{\{\s*(.*?)\s*\}\}", RegexOptions.Singleline)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"'(?:[^']|'')*'|\|\||&&|==|!=|[()!,]|[A-Za-z_][A-Za-z0-9_.\-]*")]
    private static partial Regex ExpressionToken();
}
