using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Tools.Docker;

/// <summary>Credentials for a registry, sent base64url-encoded in the X-Registry-Auth header.</summary>
public sealed record RegistryAuth(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("serveraddress")] string? ServerAddress)
{
    [JsonPropertyName("identitytoken")] public string? IdentityToken { get; init; }

    public static RegistryAuth Anonymous { get; } = new(null, null, null);

    public string Encode()
    {
        var json = JsonSerializer.Serialize(this, DockerJson.Options);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_');
    }
}
