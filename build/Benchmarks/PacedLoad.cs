using CliWrap;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Benchmarks;

/// <summary>
/// A fixed request rate through the load balancer while a change runs: Debian's <c>hey</c> with one worker per 10
/// requests/s, each paced to 10 requests/s (so a slow answer holds back only its own worker), started 2 s before the change
/// and stopped (SIGINT, which makes hey print its report) 2 s after it. A request that was not answered with 2xx (a 5xx,
/// a refused or reset connection, a 5 s timeout) is a failure.
/// </summary>
public sealed partial record PacedLoad(string Url, int RequestsPerSecond)
{
    public static IReadOnlyList<Tool> Tools { get; } = [Tool.Apt("hey"), Tool.Apt("kill", "procps")];
    private const int PerWorker = 10;

    /// <param name="Achieved">The rate hey reports it reached (below the asked one when the machine could not keep up).</param>
    public sealed record Result(int RequestsPerSecond, double Achieved, TimeSpan Wall, long Requests, long Failed, string Detail);

    /// <summary>Runs <paramref name="change"/> under the load; its wall time and the load's counts.</summary>
    public async Task<Result> AroundAsync(Func<Task> change, CancellationToken ct)
    {
        var workers = Math.Max(1, RequestsPerSecond / PerWorker).ToString(CultureInfo.InvariantCulture);
        var pidFile = Path.Combine(Path.GetTempPath(), $"pipeline-hey-{Guid.NewGuid():N}.pid");
        // sh records its pid and execs hey in its place, so the pid is hey's: SIGINT to it makes hey stop and report.
        var hey = Cli.Wrap("sh")
            .WithArguments(["-c", "echo $$ > \"$0\"; exec hey \"$@\"", pidFile,
                "-z", "600s", "-c", workers, "-q", $"{PerWorker}", "-t", "5", Url])
            .WithValidation(CommandResultValidation.None)
            .RunBufferedAsync(ct);
        TimeSpan wall;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var watch = Stopwatch.StartNew();
            await change();
            wall = watch.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        finally
        {
            if (File.Exists(pidFile))
                await Cli.Wrap("kill").WithArguments(["-INT", (await File.ReadAllTextAsync(pidFile, CancellationToken.None)).Trim()])
                    .WithValidation(CommandResultValidation.None).RunBufferedAsync(CancellationToken.None);
        }
        var output = (await hey).StandardOutput;
        File.Delete(pidFile);
        return Parse(RequestsPerSecond, wall, output);
    }

    /// <summary>Reads hey's report: the status code distribution and the error distribution.</summary>
    public static Result Parse(int rate, TimeSpan wall, string report)
    {
        long ok = 0, failed = 0;
        var detail = new List<string>();
        foreach (Match m in StatusLine().Matches(report))
        {
            var (status, count) = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value,
                CultureInfo.InvariantCulture));
            if (status is >= 200 and < 300) ok += count;
            else { failed += count; detail.Add($"{count}× HTTP {status}"); }
        }
        var errors = report.IndexOf("Error distribution:", StringComparison.Ordinal);
        if (errors >= 0)
            foreach (Match m in ErrorLine().Matches(report[errors..]))
            {
                var count = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                failed += count;
                detail.Add($"{count}× {m.Groups[2].Value.Trim()}");
            }
        if (ok + failed == 0) throw new PipelineException($"hey reported no request at all; its report was:\n{report}");
        var achieved = RateLine().Match(report) is { Success: true } r
            ? double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;
        return new Result(rate, achieved, wall, ok + failed, failed, detail.Count == 0 ? "none" : string.Join("; ", detail.Take(3)));
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();
    [GeneratedRegex(@"^\s*\[(\d{3})\]\s+(\d+) responses", RegexOptions.Multiline)]
    private static partial Regex StatusLine();
    [GeneratedRegex(@"^\s*\[(\d+)\]\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
