using Pipeline.Tools.Dns;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipeline.Benchmarks;

/// <summary>
/// A bounded loopback load whose clients resolve the name through the given DNS server before every request (as a client that
/// honours a TTL would once the TTL ran out), then <c>GET http://&lt;address&gt;:&lt;port&gt;/heartbeat</c>. Counts what
/// failed and keeps when each answer came and which version (HEARTBEAT_VERSION) gave it, so the time from a switch to the first
/// answer of the new colour can be read. Used by the dns benchmark and the blue/green integration test.
/// </summary>
public sealed partial class DnsLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly ConcurrentQueue<(long At, string Version)> _answers = new();
    private int _ok, _failed;

    public DnsLoad(DnsServer server, string name, int port, int clients = 4, TimeSpan? pause = null)
    {
        var dns = new Rfc2136Client(server);
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var wait = pause ?? TimeSpan.FromMilliseconds(10);
        _workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var addresses = (await dns.QueryAsync(name, DnsRecordType.A, _stop.Token)).Values;
                    if (addresses.Count == 0) { Fail($"{name}: no A record"); continue; }
                    using var response = await http.GetAsync($"http://{addresses[0]}:{port}/heartbeat", _stop.Token);
                    var body = await response.Content.ReadAsStringAsync(_stop.Token);
                    if (!response.IsSuccessStatusCode) { Fail($"{addresses[0]}: {(int)response.StatusCode}"); continue; }
                    Interlocked.Increment(ref _ok);
                    _answers.Enqueue((Stopwatch.GetTimestamp(), Version().Match(body).Groups[1].Value));
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested) { break; }
                catch (Exception e) { Fail(e.Message); }
                try { await Task.Delay(wait, _stop.Token); }
                catch (OperationCanceledException) { break; }
            }
        })).ToArray();
    }

    public int Succeeded => _ok;
    public int Failed => _failed;
    public List<string> Failures { get; } = [];

    /// <summary>The time from <paramref name="mark"/> (a <see cref="Stopwatch.GetTimestamp"/>) to the first answer of
    /// <paramref name="version"/> after it; null when none came.</summary>
    public TimeSpan? FirstAnswer(string version, long mark) =>
        _answers.Where(a => a.At > mark && a.Version == version).Select(a => (long?)a.At).Min() is { } at
            ? Stopwatch.GetElapsedTime(mark, at)
            : null;

    /// <summary>Waits until <paramref name="version"/> has answered after <paramref name="mark"/>, at most
    /// <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan?> WaitFirstAnswerAsync(string version, long mark, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (FirstAnswer(version, mark) is null && watch.Elapsed < timeout) await Task.Delay(5, ct);
        return FirstAnswer(version, mark);
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref _failed);
        lock (Failures) if (Failures.Count < 20) Failures.Add(why);
    }

    [GeneratedRegex("\"version\":\"([^\"]*)\"")]
    private static partial Regex Version();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }
}
