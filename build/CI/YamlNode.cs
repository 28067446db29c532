namespace Pipeline.CI;

/// <summary>A YAML document as the emitter sees it: mappings keep insertion order, so output is stable.</summary>
public abstract record YamlNode
{
    public static implicit operator YamlNode(string value) => new YamlScalar(value);
}

/// <summary>A string scalar, quoted by the emitter when plain style would change its meaning.</summary>
public sealed record YamlScalar(string Value) : YamlNode;

/// <summary>A scalar written as it is: booleans and numbers (<c>false</c>, <c>60</c>).</summary>
public sealed record YamlLiteral(string Text) : YamlNode
{
    public static YamlLiteral Of(bool value) => new(value ? "true" : "false");
    public static YamlLiteral Of(int value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

public sealed record YamlSequence(IReadOnlyList<YamlNode> Items) : YamlNode
{
    public static YamlSequence Of(IEnumerable<string> items) => new(items.Select(i => (YamlNode)i).ToList());
}

/// <summary>An ordered mapping; <see cref="Add"/> leaves out null values so optional keys read naturally.</summary>
public sealed record YamlMapping : YamlNode
{
    private readonly List<KeyValuePair<string, YamlNode>> _entries = [];
    public IReadOnlyList<KeyValuePair<string, YamlNode>> Entries => _entries;

    public YamlMapping Add(string key, YamlNode? value)
    {
        if (value is null) return this;
        if (_entries.Any(e => e.Key == key)) throw new InvalidOperationException($"Duplicate YAML key '{key}'.");
        _entries.Add(new(key, value));
        return this;
    }

    public YamlMapping Add(string key, string? value) => Add(key, value is null ? null : new YamlScalar(value));

    public static YamlMapping Of(IEnumerable<(string Key, string Value)> pairs)
    {
        var map = new YamlMapping();
        foreach (var (key, value) in pairs) map.Add(key, value);
        return map;
    }
}
