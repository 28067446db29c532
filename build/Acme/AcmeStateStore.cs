using Pipeline.Engine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Acme;

/// <summary>
/// The state file (<c>.nuke/temp/acme/&lt;env&gt;/acme.json</c>): written to a temporary file with mode 0600 in the
/// same directory (mode 0700), flushed, then renamed over the old one, so a reader sees the old or the new whole file.
/// </summary>
public sealed class AcmeStateStore(string path)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter<KeyType>(JsonNamingPolicy.KebabCaseLower) },
        TypeInfoResolver = AcmeStateJson.Default,
    };

    public string Path => path;
    public bool Exists => File.Exists(path);

    public async Task<AcmeState> LoadAsync(CancellationToken ct) =>
        Exists ? Parse(await File.ReadAllBytesAsync(path, ct), path) : AcmeState.Empty;

    /// <summary>Why the local state does not read (cut short, not JSON), or null when it reads (or is absent).</summary>
    public async Task<string?> DamageAsync(CancellationToken ct)
    {
        if (!Exists) return null;
        try { Parse(await File.ReadAllBytesAsync(path, ct), path); return null; }
        catch (Engine.PipelineException e) { return e.InnerException?.Message ?? e.Message; }
    }

    public static AcmeState Parse(ReadOnlySpan<byte> json, string origin)
    {
        try
        {
            return JsonSerializer.Deserialize(json, Options.TypeInfo<AcmeState>()) ?? AcmeState.Empty;
        }
        catch (JsonException e)
        {
            throw new Engine.PipelineException(
                $"{origin}: not a readable ACME state ({e.Message}); run RestoreCertificates to put the backed-up copy in its place, or "
                + $"move it away to start fresh.",
                e
            );
        }
    }

    public static byte[] Serialize(AcmeState state) => JsonSerializer.SerializeToUtf8Bytes(state, Options.TypeInfo<AcmeState>());

    public Task SaveAsync(AcmeState state, CancellationToken ct) => WriteAsync(Serialize(state), ct);

    /// <summary>Validates then writes raw state bytes (a restored backup) atomically.</summary>
    public async Task WriteAsync(byte[] content, CancellationToken ct)
    {
        Parse(content, "the new ACME state");
        await PrivateFile.WriteAtomicallyAsync(path, content, ct);
    }
}

[JsonSerializable(typeof(AcmeState))]
internal sealed partial class AcmeStateJson : JsonSerializerContext;
