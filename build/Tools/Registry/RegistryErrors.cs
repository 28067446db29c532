using System.Text.Json;

namespace Pipeline.Tools.Registry;

/// <summary>The error body of the distribution API: <c>{"errors":[{"code":"UNAUTHORIZED","message":"…"}]}</c>.</summary>
public static class RegistryErrors
{
    /// <summary>"CODE: message; CODE: message", or the first line of a non-JSON body (at most 200 characters).</summary>
    public static string Describe(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (
                doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
            )
                return string.Join(
                    "; ",
                    errors
                        .EnumerateArray()
                        .Select(e =>
                            $"{(e.TryGetProperty("code", out var c) ? c.GetString() : "?")}: "
                            + $"{(e.TryGetProperty("message", out var m) ? m.GetString() : "")}"
                        )
                );
        }
        catch (JsonException) { }
        var line = body.Trim().Split('\n')[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }
}
