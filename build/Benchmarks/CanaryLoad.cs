using Pipeline.Deploying.Rolling;
using System.Diagnostics;

namespace Pipeline.Benchmarks;

/// <summary>One measured deploy: its outcome, and the requests sent and failed while it ran (plus 5 s after, as a user would
/// still be served by whatever it left).</summary>
public sealed record CanaryRun(string What, DeployOutcome Outcome, long Requests, long Failed, TimeSpan Wall);

/// <summary>
/// The scenario's load on <c>/cgi-bin/work</c> through HAProxy while a deploy runs and 5 s after: a fixed rate, not a closed
/// loop, so the request count per second does not fall when answers get slower (a slow release would otherwise slow its own
/// sampling) and the machine is not driven to saturation. <see cref="Clients"/> loopback clients each send one request every
/// <c>Clients / RequestsPerSecond</c> seconds, staggered; a client whose answer comes late sends at once and skips the ticks it
/// missed. A request not answered with 2xx within 15 s (a 5xx, a refused or reset connection, the timeout) is a failure.
/// </summary>
public static class CanaryLoad
{
    public const int RequestsPerSecond = 50, Clients = 200;

    public static async Task<CanaryRun> DuringAsync(int port, Func<Task<DeployOutcome>> deploy, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(15) };
        long ok = 0, failed = 0;
        var interval = TimeSpan.FromSeconds((double)Clients / RequestsPerSecond);
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
        {
            var next = interval * i / Clients;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (next > clock.Elapsed) await Task.Delay(next - clock.Elapsed, stop.Token);
                    next += interval * Math.Max(1, Math.Ceiling((clock.Elapsed - next) / interval));
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}/cgi-bin/work", stop.Token);
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref ok : ref failed);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { Interlocked.Increment(ref failed); }
            }
        })).ToList();
        var watch = Stopwatch.StartNew();
        var outcome = await deploy();
        var wall = watch.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        return new CanaryRun("", outcome, ok + failed, failed, wall);
    }
}
