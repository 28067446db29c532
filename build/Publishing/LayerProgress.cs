using System.Globalization;

namespace Pipeline.Publishing;

/// <summary>
/// The state of one push, layer by layer, fed from the engine's progress messages (<c>Preparing</c>,
/// <c>Pushing</c> with current/total, <c>Pushed</c>, <c>Layer already exists</c>, <c>Mounted from …</c>), and rendered
/// as bars for a terminal or as one summary line for CI logs. Pure: no clock, no console.
/// </summary>
public sealed class LayerProgress
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Layer> _layers = new(StringComparer.Ordinal);

    public sealed record Layer(string Id, string Status, long Current, long Total)
    {
        public bool Done =>
            Status.StartsWith("Pushed", StringComparison.Ordinal)
            || Status.StartsWith("Layer already exists", StringComparison.Ordinal)
            || Status.StartsWith("Mounted from", StringComparison.Ordinal);
        public bool Skipped =>
            Status.StartsWith("Layer already exists", StringComparison.Ordinal)
            || Status.StartsWith("Mounted from", StringComparison.Ordinal);
    }

    public IReadOnlyList<Layer> Layers => _order.Select(id => _layers[id]).ToList();

    /// <summary>Applies one message; returns true when a layer changed state (not only its byte count).</summary>
    public bool Apply(string? id, string? status, long current, long total)
    {
        // "latest: digest: …" lines are not layers
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(status) || id.Contains(':')) return false;
        var known = _layers.TryGetValue(id, out var old);
        if (!known) _order.Add(id);
        var keepTotal = total > 0 ? total : old?.Total ?? 0;
        _layers[id] = new Layer(
            id,
            status,
            status == "Pushing" ? current
                : old?.Done == true ? old.Current
                : (old?.Current ?? 0),
            keepTotal
        );
        return !known || old!.Status != status;
    }

    public long BytesSent => _layers.Values.Where(l => !l.Skipped).Sum(l => l.Done ? Math.Max(l.Current, l.Total) : l.Current);

    /// <summary>One line for CI: <c>heartbeat → 127.0.0.1:21500: 2/5 layers done (1 already there), 12.3 MB sent</c>.</summary>
    public string Summary(string what)
    {
        var done = _layers.Values.Count(l => l.Done);
        var skipped = _layers.Values.Count(l => l.Skipped);
        return $"{what}: {done}/{_layers.Count} layers done{(skipped > 0 ? $" ({skipped} already there)" : "")}, {Size(BytesSent)} sent";
    }

    /// <summary>One bar a layer, for a terminal: <c>a1b2c3d4e5f6 [#########-----------]  45% 1.2 MB/2.7 MB Pushing</c>.</summary>
    public IReadOnlyList<string> Bars(int width = 24) => Layers.Select(l =>
    {
        var fraction = l.Done ? 1.0 : l.Total > 0 ? Math.Clamp((double)l.Current / l.Total, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * width);
        var bytes = l.Total > 0 && !l.Skipped ? $" {Size(l.Current)}/{Size(l.Total)}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{l.Id,-12} [{new string('#', filled)}{new string('-', width - filled)}] {fraction * 100,3:0}%{bytes} {l.Status}");
    }).ToList();

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} kB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.00} GB"),
    };
}
