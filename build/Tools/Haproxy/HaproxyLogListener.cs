using Pipeline.Engine;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Tools.Haproxy;

/// <summary>
/// A UDP log target of HAProxy's (<c>log 127.0.0.1:&lt;port&gt; format raw local0</c>) inside the build: every datagram
/// that is one of our request lines (<see cref="HaproxyRequestLog"/>) is handed to <see cref="Received"/> as it arrives.
/// Loopback only; the receive buffer is enlarged so a burst of requests is not dropped while the build is busy.
/// </summary>
public sealed class HaproxyLogListener : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _received, _skipped;

    private HaproxyLogListener(UdpClient udp, Action<HaproxyRequestLog> received)
    {
        _udp = udp;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult datagram;
                try { datagram = await _udp.ReceiveAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                catch (SocketException) when (!_stop.IsCancellationRequested) { continue; }
                if (HaproxyRequestLog.Parse(Encoding.UTF8.GetString(datagram.Buffer)) is { } line)
                {
                    Interlocked.Increment(ref _received);
                    received(line);
                }
                else Interlocked.Increment(ref _skipped);
            }
        });
    }

    /// <summary>Request lines parsed so far, and datagrams that were something else.</summary>
    public long Received => Interlocked.Read(ref _received);
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <param name="address">host:port, a loopback address (HAProxy on the same machine sends there).</param>
    public static HaproxyLogListener Start(string address, Action<HaproxyRequestLog> received)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !IPAddress.TryParse(address[..colon].Trim('[', ']'), out var ip) || !IPAddress.IsLoopback(ip)
            || !int.TryParse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port))
            throw new UsageException($"HAProxy log target '{address}': give a loopback host:port, e.g. 127.0.0.1:25514");
        try
        {
            var udp = new UdpClient(new IPEndPoint(ip, port));
            udp.Client.ReceiveBufferSize = 4 * 1024 * 1024;
            return new HaproxyLogListener(udp, received);
        }
        catch (SocketException e)
        {
            throw new PipelineException(
                $"cannot listen for HAProxy's request log on udp {address} ({e.Message}): is another deploy or program using the port?"
            );
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
