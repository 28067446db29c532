using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Parameters;

/// <summary>One value of a parameter file, where it was written (1-based line and column of its key).</summary>
public sealed record ParameterFileEntry(string Key, IReadOnlyList<string> Values, int Line, int Column);

/// <summary>
/// <c>.nuke/parameters*.json</c>: a JSON object of parameter names to a value or a list of values (<c>$</c>-keys such
/// as <c>$schema</c> are ignored). Read token by token so every error says the line and column of the fault itself:
/// invalid JSON, bytes that are not UTF-8, an unknown name, a name written twice, a value that is an object.
/// </summary>
public sealed partial record ParameterFile(string Name, IReadOnlyDictionary<string, ParameterFileEntry> Values)
{
    /// <param name="name">How errors name the file, e.g. <c>.nuke/parameters.json</c>.</param>
    /// <param name="known">The build's parameter names.</param>
    public static ParameterFile Load(string path, string name, IReadOnlyList<string> known) => Parse(Utf8Text.ReadBytes(path), name, known);

    public static ParameterFile Parse(byte[] bytes, string name, IReadOnlyList<string> known)
    {
        if (!Utf8Text.TryDecode(bytes, out _, out var bad, out var problem)) throw Error(name, "", problem, bad);
        var values = new Dictionary<string, ParameterFileEntry>();
        var reader = new Utf8JsonReader(
            bytes,
            new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }
        );
        try
        {
            if (!reader.Read()) throw Error(name, "", "the file is empty (write { } or delete it)", (1, 1));
            if (reader.TokenType != JsonTokenType.StartObject)
                throw Error(
                    name,
                    "",
                    "must be a JSON object of parameter names to values, e.g. { \"Environment\": \"staging\" }",
                    At(bytes, reader)
                );
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                var at = At(bytes, reader);
                reader.Read();
                var entryValues = Value(ref reader, bytes, name, key);
                if (key.StartsWith('$')) continue;
                // null leaves the parameter unset (its default, or a lower file's value), as an absent key does.
                if (!known.Any(k => Naming.Key(k) == Naming.Key(key)))
                    throw Error(name, key, $"not a parameter of this build.{Suggestions.DidYouMean(key, known)}", at);
                if (values.TryGetValue(Naming.Key(key), out var first))
                    throw Error(name, key, $"written twice (first as '{first.Key}' on line {first.Line}): keep one", at);
                if (entryValues is null) continue;
                values[Naming.Key(key)] = new ParameterFileEntry(key, entryValues, at.Line, at.Column);
            }
            while (reader.Read()) { } // the reader refuses anything after the object
        }
        catch (JsonException e)
        {
            throw Error(name, "", $"not valid JSON: {Describe(e)}", ((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1));
        }
        return new ParameterFile(name, values);
    }

    private static List<string>? Value(ref Utf8JsonReader reader, byte[] bytes, string name, string key)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                        throw Error(
                            name,
                            key,
                            "a list holds plain values (text, numbers, true/false), not lists or objects",
                            At(bytes, reader)
                        );
                    list.Add(Text(ref reader));
                }
                return list;
            case JsonTokenType.StartObject:
                throw Error(name, key, "must be a value or a list of values, not an object", At(bytes, reader));
            default: return [Text(ref reader)];
        }
    }

    private static string Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Null => "",
        _ => Encoding.UTF8.GetString(reader.ValueSpan),
    };

    private static (int Line, int Column) At(byte[] bytes, Utf8JsonReader reader) => Utf8Text.Position(bytes, reader.TokenStartIndex);

    /// <summary>System.Text.Json's own sentence, without its 0-based "LineNumber: 0 | BytePositionInLine: 5." tail.</summary>
    private static string Describe(JsonException e) => JsonPosition().Replace(e.Message, "").TrimEnd();

    private static UsageException Error(string file, string key, string message, (int Line, int Column) at) =>
        new($"{file}: {(key.Length == 0 ? "" : key + ": ")}{message} (line {at.Line}, column {at.Column})");

    [GeneratedRegex(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex JsonPosition();
}
