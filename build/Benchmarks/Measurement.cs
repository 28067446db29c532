using CliWrap;
using Pipeline.Tools.Process;
using System.Diagnostics;

namespace Pipeline.Benchmarks;

/// <summary>Repeated wall-clock samples of one way of doing a job, and their median.</summary>
public sealed record Measurement(string Name, IReadOnlyList<TimeSpan> Samples)
{
    public TimeSpan Median
    {
        get
        {
            var sorted = Samples.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public static async Task<Measurement> TakeAsync(string name, int runs, Func<CancellationToken, Task> sample, CancellationToken ct)
    {
        var samples = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await sample(ct);
            samples.Add(watch.Elapsed);
        }
        return new Measurement(name, samples);
    }

    /// <summary>Runs a command quietly (its output buffered); a failure still throws with its stderr.</summary>
    public static Task RunQuietAsync(Command command, CancellationToken ct) => command.RunBufferedAsync(ct);
}
