using Pipeline.Engine.Parameters;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Definitions;

/// <summary>Loads a YAML definition file into a <see cref="DefinitionNode"/>; syntax errors carry line and column.</summary>
public static partial class DefinitionFile
{
    /// <param name="path">The file to read.</param>
    /// <param name="displayName">How errors name it, usually relative to the repository root.</param>
    /// <param name="variables">Values for <c>${VAR}</c>; null means the process environment.</param>
    public static DefinitionNode Load(string path, string displayName, Func<string, string?>? variables = null) =>
        Parse(ReadText(path, displayName), displayName, variables);

    /// <summary>
    /// The file's text, strictly UTF-8: a byte that is not is an error at its line and column, where
    /// <see cref="File.ReadAllText(string)"/> would silently replace it.
    /// </summary>
    public static string ReadText(string path, string displayName)
    {
        if (!File.Exists(path)) throw new DefinitionException(displayName, "", "file not found");
        return Utf8Text.TryDecode(Utf8Text.ReadBytes(path), out var text, out var at, out var problem)
            ? text : throw new DefinitionException(displayName, "", problem, at.Line, at.Column);
    }

    public static DefinitionNode Parse(string yaml, string displayName, Func<string, string?>? variables = null)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new DefinitionException(displayName, "", $"not valid YAML: {Describe(e)}", (int)e.Start.Line, (int)e.Start.Column);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unclosed flow collections ("a: [1, 2" then a new line):
            // the fault is after the last event it read.
            throw new DefinitionException(
                displayName,
                "",
                "not valid YAML: an unclosed [ or { (or a value the parser cannot read) after this point",
                (int)parser.LastEnd.Line,
                (int)parser.LastEnd.Column
            );
        }
        if (stream.Documents.Count == 0) throw new DefinitionException(displayName, "", "the file is empty");
        return new DefinitionNode(displayName, "", stream.Documents[0].RootNode, variables ?? Environment.GetEnvironmentVariable);
    }

    /// <summary>YamlDotNet's sentence without its own "(Line: 3, Col: 1, Idx: 40) - (…): " prefix (the error adds the position).</summary>
    private static string Describe(YamlException e)
    {
        var message = YamlPosition().Replace(e.Message, "");
        return message.StartsWith("Duplicate key", StringComparison.Ordinal)
            ? $"'{message["Duplicate key".Length..].Trim()}' is written twice in the same mapping (keep one)"
            : message;
    }

    /// <summary>Remembers where the last event ended, for the parser's errors that carry no position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastEnd { get; private set; } = Mark.Empty;
        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (inner.Current is { } current) LastEnd = current.End;
            return inner.MoveNext();
        }
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex YamlPosition();
}
