using Pipeline.Deploying.Definitions;
using Pipeline.Engine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Deploying.BlueGreen;

/// <summary>
/// Which colour of a blue/green group the dns: records point at, which one they pointed at before, and when they were switched
/// (the old colour is kept for <c>keep</c> from then). Kept as JSON next to the group's journal
/// (<c>.nuke/temp/deploy/&lt;env&gt;/&lt;group&gt;.colours.json</c>), written after each switch.
/// </summary>
public sealed record ColourState(Colour? Live, Colour? Previous, DateTimeOffset? SwitchedAt)
{
    public static readonly ColourState None = new(null, null, null);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter<Colour>(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = ColourStateJson.Default,
        WriteIndented = true,
    };

    /// <summary>The state after the records were pointed at <paramref name="colour"/> at <paramref name="at"/>.</summary>
    public ColourState SwitchedTo(Colour colour, DateTimeOffset at) => new(colour, Live == colour ? Previous : Live, at);

    /// <summary>When the old colour stops being kept (null when there is none).</summary>
    public DateTimeOffset? KeptUntil(TimeSpan keep) => Previous is null || SwitchedAt is null ? null : SwitchedAt + keep;

    /// <summary>The state file's path for a group.</summary>
    public static AbsolutePath PathOf(DeployLayout layout, GroupDefinition group) =>
        layout.StateDirectory / group.Environment / $"{group.Name}.colours.json";

    public static ColourState Load(AbsolutePath path)
    {
        if (!File.Exists(path)) return None;
        try { return JsonSerializer.Deserialize(File.ReadAllText(path), Json.TypeInfo<ColourState>()) ?? None; }
        catch (JsonException e)
        {
            throw new PipelineException(
                $"{path}: the blue/green state is unreadable ({e.Message}); delete it and deploy again (both colours are then seen as idle)"
            );
        }
    }

    public Task SaveAsync(AbsolutePath path, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Json.TypeInfo<ColourState>())));
        return Task.CompletedTask;
    }

    public override string ToString() => Live is { } live ? $"live {live.Lower()}" : "no colour live";
}

[JsonSerializable(typeof(ColourState))]
internal sealed partial class ColourStateJson : JsonSerializerContext;
