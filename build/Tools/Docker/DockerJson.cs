using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Tools.Docker;

/// <summary>JSON settings of the Engine API: PascalCase names as declared, nulls left out.</summary>
public static class DockerJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
    };

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"The engine answered 'null' where a {typeof(T).Name} was expected.");
}
