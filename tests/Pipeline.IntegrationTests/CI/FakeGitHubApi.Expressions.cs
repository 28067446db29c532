using System.Text.RegularExpressions;

namespace Pipeline.IntegrationTests.CI;

/// <summary>
/// The part of GitHub's expression language the generated workflows put in a job's <c>if:</c>, evaluated as GitHub
/// documents it: <c>||</c>, <c>&amp;&amp;</c>, <c>!</c>, <c>==</c>/<c>!=</c> (strings compared case-insensitively, null as
/// ''), parentheses, '…' literals, the contexts <c>github.event_name</c> and <c>inputs.*</c>, and the functions
/// <c>contains</c> (case-insensitive), <c>format</c>, <c>success</c>, <c>failure</c>, <c>always</c>. Anything else throws,
/// so a workflow that outgrows this fake fails its test instead of passing by accident.
/// </summary>
public sealed partial class FakeGitHubApi
{
    /// <summary>Whether a job with this <c>if:</c> runs, given the event's contexts and its needs' results.</summary>
    internal static bool JobRuns(string? condition, IReadOnlyDictionary<string, string?> contexts, bool needsSucceeded,
        bool needsFailed)
    {
        if (string.IsNullOrWhiteSpace(condition)) return needsSucceeded;
        var tokens = ExpressionToken().Matches(condition).Select(m => m.Value).ToList();
        var evaluator = new Evaluator(tokens, contexts, needsSucceeded, needsFailed);
        var value = Truthy(evaluator.Or());
        if (evaluator.Position != tokens.Count)
            throw new NotSupportedException($"Unexpected '{tokens[evaluator.Position]}' in {condition}");
        return evaluator.UsedStatus ? value : needsSucceeded && value;
    }

    private static bool Truthy(object? value) => value switch { null => false, bool b => b, string s => s.Length > 0, _ => true };

    private sealed class Evaluator(List<string> tokens, IReadOnlyDictionary<string, string?> contexts, bool succeeded, bool failed)
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
            if (Peek != "(") return contexts.TryGetValue(token, out var value) ? value
                : throw new NotSupportedException($"Unknown context {token}");
            Next();
            var args = new List<object?>();
            while (Peek != ")") { args.Add(Or()); if (Peek == ",") Next(); }
            Expect(")");
            switch (token)
            {
                case "contains": return Text(args[0]).Contains(Text(args[1]), StringComparison.OrdinalIgnoreCase);
                case "format": return Regex.Replace(Text(args[0]), @"\{(\d+)\}", m => Text(args[int.Parse(m.Groups[1].Value) + 1]));
                case "always": UsedStatus = true; return true;
                case "success": UsedStatus = true; return succeeded;
                case "failure": UsedStatus = true; return failed;
                default: throw new NotSupportedException($"Unknown function {token}");
            }
        }

        private void Expect(string token)
        {
            if (Next() != token) throw new NotSupportedException($"Expected {token}");
        }

        private static string Text(object? value) => value switch { null => "", bool b => b ? "true" : "false", _ => value.ToString()! };
    }

    [GeneratedRegex(@"'(?:[^']|'')*'|\|\||&&|==|!=|[()!,]|[A-Za-z_][A-Za-z0-9_.\-]*")]
    private static partial Regex ExpressionToken();
}
