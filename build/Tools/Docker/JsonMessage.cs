using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Tools.Docker;

/// <summary>One message of the engine's JSON progress stream (build, import, push, pull).</summary>
public sealed record JsonMessage
{
    [JsonPropertyName("stream")] public string? Stream { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("progress")] public string? Progress { get; init; }
    [JsonPropertyName("progressDetail")] public ProgressDetail? ProgressDetail { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("errorDetail")] public ErrorDetail? ErrorDetail { get; init; }
    [JsonPropertyName("aux")] public JsonElement? Aux { get; init; }

    /// <summary>The error's text when this message reports a failure.</summary>
    public string? ErrorMessage => ErrorDetail?.Message is { Length: > 0 } m ? m : Error;

    /// <summary>Parses one message; text that is not JSON becomes a <see cref="Stream"/> line.</summary>
    public static JsonMessage Parse(string line)
    {
        try { return JsonSerializer.Deserialize<JsonMessage>(line, DockerJson.Options) ?? new JsonMessage(); }
        catch (JsonException) { return new JsonMessage { Stream = line }; }
    }

    /// <summary>Reads the stream's messages as they arrive (one JSON object a line).</summary>
    public static async IAsyncEnumerable<JsonMessage> ReadAllAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Trim().Length == 0) continue;
            yield return Parse(line.Trim());
        }
    }
}

public sealed record ProgressDetail
{
    [JsonPropertyName("current")] public long Current { get; init; }
    [JsonPropertyName("total")] public long Total { get; init; }
}

public sealed record ErrorDetail
{
    [JsonPropertyName("code")] public int Code { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
}
