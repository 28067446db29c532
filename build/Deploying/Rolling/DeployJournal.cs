using Pipeline.Engine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Deploying.Rolling;

/// <summary>One step of a deploy, appended (and flushed) before the next step starts.</summary>
public sealed record JournalEntry(
    string Deploy,
    DateTimeOffset At,
    string Step,
    string? Instance = null,
    string? From = null,
    string? To = null,
    string? Detail = null
);

/// <summary>
/// The step journal of one group (JSON lines, under .nuke/temp/deploy/&lt;env&gt;/). A deploy killed at any point
/// leaves its steps here; the next run reads which instances it had moved and from what, so a rollback can still
/// return them to the version they had before the interrupted deploy.
/// </summary>
public sealed class DeployJournal(string path)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = JournalEntryJson.Default,
    };
    private readonly Lock _gate = new();

    public string Path => path;

    public void Append(JournalEntry entry)
    {
        // Masked like every file the build writes: a step's detail may quote an error that echoes a secret.
        lock (_gate) Engine.MaskedFile.AppendLineDurably(path, JsonSerializer.Serialize(entry, Json.TypeInfo<JournalEntry>()));
    }

    public IReadOnlyList<JournalEntry> Read()
    {
        if (!File.Exists(path)) return [];
        var entries = new List<JournalEntry>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            try { if (JsonSerializer.Deserialize(line, Json.TypeInfo<JournalEntry>()) is { } e) entries.Add(e); }
            catch (JsonException) { } // a line torn by a kill: the step it names never completed
        }
        return entries;
    }

    public IReadOnlyList<JournalEntry> Of(string deploy) => Read().Where(e => e.Deploy == deploy).ToList();

    /// <summary>The last deploy that started and never wrote <c>finished</c>, with its entries.</summary>
    public IReadOnlyList<JournalEntry>? Interrupted()
    {
        var entries = Read();
        var last = entries.LastOrDefault(e => e.Step == "start");
        if (last is null || entries.Any(e => e.Deploy == last.Deploy && e.Step == "finished")) return null;
        return entries.Where(e => e.Deploy == last.Deploy).ToList();
    }
}

[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalEntryJson : JsonSerializerContext;
