using Pipeline.Engine;
using Spectre.Console;
using System.Diagnostics;

namespace Pipeline.Publishing;

/// <summary>
/// Shows a push's <see cref="LayerProgress"/>: on an interactive terminal, one Spectre.Console progress bar a layer;
/// in CI (or when output is redirected) a line whenever a layer finishes or at most every <see cref="Interval"/>.
/// Only one display draws bars at a time (a terminal has one live area); another one at the same time writes lines.
/// </summary>
public sealed class ProgressDisplay(string what, IAnsiConsole? terminal, TimeSpan? interval = null)
{
    private static readonly SemaphoreSlim LiveArea = new(1, 1);
    private readonly LayerProgress _progress = new();
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly Dictionary<string, ProgressTask> _bars = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ProgressContext? _live;
    private Task? _drawing;
    private bool _linesOnly = terminal is null;
    private string? _lastLine;

    public TimeSpan Interval { get; } = interval ?? TimeSpan.FromSeconds(10);
    public LayerProgress Progress => _progress;

    /// <summary>Chooses bars when stdout is a terminal and the build is not on a CI server.</summary>
    public static ProgressDisplay For(string what, bool isServerBuild) =>
        new(what, !isServerBuild && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb")
            ? AnsiConsole.Console : null);

    public void Report(string? id, string? status, long current, long total)
    {
        lock (_gate)
        {
            var changed = _progress.Apply(id, status, current, total);
            if (!_linesOnly && (_live ?? Start()) is { } live) { Draw(live); return; }
            if (changed && _progress.Layers.FirstOrDefault(l => l.Id == id)?.Done == true || _sinceLine.Elapsed >= Interval)
                Line();
        }
    }

    /// <summary>Ends the display (bars are cleared) with one summary line in the log (both modes).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_drawing is not null)
            {
                _finished.TrySetResult();
                _drawing.GetAwaiter().GetResult();
                _drawing = null;
                _live = null;
                LiveArea.Release();
            }
            _linesOnly = true;
            if (_progress.Layers.Count > 0) Line();
        }
    }

    private ProgressContext? Start()
    {
        if (!LiveArea.Wait(0)) { _linesOnly = true; return null; }
        var ready = new TaskCompletionSource<ProgressContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        _drawing = terminal!
            .Progress()
            .AutoClear(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn()
            )
            .StartAsync(async context =>
            {
                ready.SetResult(context);
                await _finished.Task;
            });
        // A console that cannot draw (another live area, a closed terminal) ends the drawing at once: lines then.
        if (Task.WhenAny(ready.Task, _drawing).GetAwaiter().GetResult() != ready.Task)
        {
            _ = _drawing.Exception;
            _drawing = null;
            LiveArea.Release();
            _linesOnly = true;
            return null;
        }
        return _live = ready.Task.Result;
    }

    private void Draw(ProgressContext live)
    {
        foreach (var layer in _progress.Layers)
        {
            if (!_bars.TryGetValue(layer.Id, out var bar)) _bars[layer.Id] = bar = live.AddTask(layer.Id, maxValue: 1);
            bar.Description = Markup.Escape(Secrets.Mask($"{layer.Id} {layer.Status}"));
            bar.MaxValue = Math.Max(1, layer.Total);
            bar.Value = layer.Done ? bar.MaxValue : Math.Min(layer.Current, bar.MaxValue);
        }
    }

    private void Line()
    {
        var line = _progress.Summary(what);
        if (line != _lastLine) Log.Information(line);
        _lastLine = line;
        _sinceLine.Restart();
    }
}
