using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Definitions;

/// <summary>
/// A YAML node that knows its file, key path and position, so every definition loader reports errors the same
/// way. Loaders read typed values from it and call <see cref="AllowOnly"/> to reject unknown keys with a suggestion.
/// <c>${VAR}</c> in scalars is replaced through the document's variables.
/// </summary>
public sealed partial class DefinitionNode
{
    private readonly YamlNode _node;
    private readonly Func<string, string?> _variables;

    internal DefinitionNode(string file, string path, YamlNode node, Func<string, string?> variables)
    {
        File = file;
        Path = path;
        _node = node;
        _variables = variables;
    }

    public string File { get; }
    public string Path { get; }
    public int Line => (int)_node.Start.Line;
    public int Column => (int)_node.Start.Column;
    public bool IsMapping => _node is YamlMappingNode;
    public bool IsSequence => _node is YamlSequenceNode;

    public DefinitionException Error(string message) => new(File, Path, message, Line, Column);

    public DefinitionNode? Optional(string key)
    {
        var mapping = _node as YamlMappingNode ?? throw Error("must be a mapping of keys to values");
        return mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) && !IsNull(child)
            ? new DefinitionNode(File, Join(key), child, _variables) : null;
    }

    public DefinitionNode Required(string key, string hint = "") =>
        Optional(key) ?? throw Error($"'{key}' is missing{(hint.Length > 0 ? $" ({hint})" : "")}");

    public IEnumerable<(string Key, DefinitionNode Value)> Entries() => KeyedEntries().Select(e => (e.Key, e.Value));

    /// <summary>The entries with the position of each key, where an error about the key itself points.</summary>
    private IEnumerable<(string Key, int Line, int Column, DefinitionNode Value)> KeyedEntries()
    {
        var mapping = _node as YamlMappingNode ?? throw Error("must be a mapping of keys to values");
        foreach (var (k, v) in mapping.Children)
        {
            var key = (k as YamlScalarNode)?.Value
                ?? throw new DefinitionException(File, Path, "keys must be plain text", (int)k.Start.Line, (int)k.Start.Column);
            yield return (key, (int)k.Start.Line, (int)k.Start.Column, new DefinitionNode(File, Join(key), v, _variables));
        }
    }

    public IReadOnlyList<DefinitionNode> Items()
    {
        if (_node is not YamlSequenceNode sequence) throw Error("must be a list");
        return sequence
            .Children.Select((c, i) => new DefinitionNode(File, Join(i.ToString(CultureInfo.InvariantCulture)), c, _variables))
            .ToList();
    }

    /// <summary>Rejects keys other than <paramref name="keys"/>, suggesting the closest one.</summary>
    public DefinitionNode AllowOnly(params string[] keys) => AllowOnly(keys, "key");

    /// <summary>Rejects keys other than <paramref name="keys"/>; the error points at the key and calls it a <paramref
    /// name="what"/>.</summary>
    public DefinitionNode AllowOnly(IReadOnlyCollection<string> keys, string what)
    {
        foreach (var (key, line, column, value) in KeyedEntries())
            if (!keys.Contains(key))
                throw new DefinitionException(
                    File,
                    value.Path,
                    $"unknown {what}.{Suggestions.DidYouMean(key, keys)} Allowed: {string.Join(", ", keys)}",
                    line,
                    column
                );
        return this;
    }

    public string String()
    {
        if (_node is not YamlScalarNode { Value: { } raw }) throw Error("must be a single value");
        return Substitute(raw);
    }

    /// <summary>A list's items, or this one value as a list of one (<c>expose: 8080</c> or <c>expose: [8080, 8443]</c>).</summary>
    public IReadOnlyList<DefinitionNode> ItemsOrSelf() => IsSequence ? Items() : [this];

    public IReadOnlyList<string> Strings() => ItemsOrSelf().Select(i => i.String()).ToList();

    public int Int(int min = int.MinValue, int max = int.MaxValue)
    {
        var text = String();
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw Error(WholeNumber().IsMatch(text.Trim())
                ? (text.TrimStart().StartsWith('-') ? $"must be at least {min}" : $"must be at most {max}")
                : $"'{text}' must be a whole number");
        if (value < min) throw Error($"must be at least {min}");
        if (value > max) throw Error($"must be at most {max}");
        return value;
    }

    public bool Bool() => String().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var s => throw Error($"'{s}' must be true or false"),
    };

    public TimeSpan Duration()
    {
        try { return ValueConverter.ParseDuration(String()); }
        catch (FormatException e) { throw Error(e.Message); }
    }

    public T Enum<T>() where T : struct, Enum
    {
        var text = String();
        foreach (var name in System.Enum.GetNames<T>())
            if (Naming.Key(name) == Naming.Key(text)) return System.Enum.Parse<T>(name);
        throw Error($"'{text}' must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(Naming.Kebab))}");
    }

    private string Substitute(string raw) =>
        Variable()
            .Replace(raw, m => _variables(m.Groups[1].Value)
                ?? m.Groups[2] switch
                {
                    { Success: true } fallback => fallback.Value,
                    _ => throw Error(
                        $"${{{m.Groups[1].Value}}} has no value (set the parameter or environment variable {m.Groups[1].Value}, or write "
                        + $"${{{m.Groups[1].Value}:-default}})"
                    ),
                });

    private string Join(string key) => Path.Length == 0 ? key : $"{Path}/{key}";
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain };

    [GeneratedRegex(@"^[+-]?\d+$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")]
    private static partial Regex Variable();
}
