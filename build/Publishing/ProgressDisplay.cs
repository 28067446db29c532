using System.Diagnostics;
using Pipeline.Engine;

namespace Pipeline.Publishing;

/// <summary>
/// Shows a push's <see cref="LayerProgress"/>: redrawn bars on an interactive terminal, and in CI (or when output
/// is redirected) a line whenever a layer finishes or at most every <see cref="Interval"/>.
/// </summary>
public sealed class ProgressDisplay(string what, bool terminal, TimeSpan? interval = null)
{
    private readonly LayerProgress _progress = new();
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private readonly object _gate = new();
    private int _drawnLines;
    private string? _lastLine;

    public TimeSpan Interval { get; } = interval ?? TimeSpan.FromSeconds(10);
    public LayerProgress Progress => _progress;

    /// <summary>Chooses bars when stdout is a terminal and the build is not on a CI server.</summary>
    public static ProgressDisplay For(string what, bool isServerBuild) =>
        new(what, terminal: !isServerBuild && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"));

    public void Report(string? id, string? status, long current, long total)
    {
        lock (_gate)
        {
            var changed = _progress.Apply(id, status, current, total);
            if (terminal) { Redraw(); return; }
            if (changed && _progress.Layers.FirstOrDefault(l => l.Id == id)?.Done == true || _sinceLine.Elapsed >= Interval)
                Line();
        }
    }

    /// <summary>Ends the display with one summary line in the log (both modes).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (terminal && _drawnLines > 0) Console.Out.Write($"\u001b[{_drawnLines}A\u001b[J");
            _drawnLines = 0;
            if (_progress.Layers.Count > 0) Line();
        }
    }

    private void Line()
    {
        var line = _progress.Summary(what);
        if (line != _lastLine) Log.Information(line);
        _lastLine = line;
        _sinceLine.Restart();
    }

    private void Redraw()
    {
        if (_sinceLine.ElapsedMilliseconds < 100 && _drawnLines > 0) return; // at most 10 frames a second
        _sinceLine.Restart();
        var bars = _progress.Bars();
        var frame = new System.Text.StringBuilder();
        if (_drawnLines > 0) frame.Append($"\u001b[{_drawnLines}A");
        foreach (var bar in bars) frame.Append("\u001b[2K").Append(Secrets.Mask(bar)).Append('\n');
        Console.Out.Write(frame.ToString());
        Console.Out.Flush();
        _drawnLines = bars.Count;
    }
}
