using Pipeline.Engine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Backups;

/// <summary>
/// The marker <c>repository.json</c> (in the clear) that says how a repository is stored: <c>aes-256-gcm</c> (every
/// object sealed, see <see cref="SealedFormat"/>, master key in the key slots) or <c>none</c>. A repository without it
/// is one made before encryption existed, and is read as it is. A machine that once saw the marker keeps a copy, so a
/// marker removed later cannot make it write in the clear.
/// </summary>
public sealed record RepositoryConfig(int Format, string Id, string Encryption, DateTimeOffset CreatedAt)
{
    public const string Aes256Gcm = "aes-256-gcm", None = "none";

    public bool Encrypted => Encryption == Aes256Gcm;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, RepositoryConfigJson.Default.RepositoryConfig);

    public static RepositoryConfig FromJson(ReadOnlySpan<byte> json, string where)
    {
        try
        {
            var config = JsonSerializer.Deserialize(json, RepositoryConfigJson.Default.RepositoryConfig)
                ?? throw new JsonException("empty");
            if (config.Format > 1 || config.Encryption is not (Aes256Gcm or None))
                throw new PipelineException($"The repository marker {where} says format {config.Format}, encryption "
                    + $"{config.Encryption}; this "
                    + "Pipeline reads format 1 with aes-256-gcm or none (update Pipeline).");
            return config;
        }
        catch (JsonException e)
        {
            throw new PipelineException($"The repository marker {where} is not valid ({e.Message}); it was damaged: put back a copy "
                + "(every machine that used the repository keeps one under .nuke/temp/backups/repositories/).");
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RepositoryConfig))]
internal sealed partial class RepositoryConfigJson : JsonSerializerContext;
