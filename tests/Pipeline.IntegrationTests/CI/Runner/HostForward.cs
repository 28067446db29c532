using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>
/// Makes a stand-in that listens on this machine's 127.0.0.1 reachable from one runner machine at the same address, as a
/// job reaches a service on its own loopback: a listener on 127.0.0.1:port inside the machine's network namespace (a socket
/// belongs to the namespace of the thread that made it, so one short-lived thread enters the namespace with setns(2) and
/// makes it), copying bytes both ways to 127.0.0.1:port here. Requests keep their Host header, so a stand-in that checks it
/// answers as it does in every other test. Given an <c>open</c>, a connection is first opened by it (a TLS handshake:
/// <see cref="HttpsStandIns"/>), which also says which port here it goes to.
/// </summary>
public sealed class HostForward : IAsyncDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Func<Stream, CancellationToken, Task<(Stream Stream, int Port)?>> _open;

    public HostForward(string netns, int port) : this(netns, port, (inbound, _) => Task.FromResult<(Stream, int)?>((inbound, port))) { }

    public HostForward(string netns, int port, Func<Stream, CancellationToken, Task<(Stream Stream, int Port)?>> open)
    {
        _open = open;
        _listener = ListenInside(netns, port);
        _accepting = AcceptAsync();
    }

    private static TcpListener ListenInside(string netns, int port)
    {
        TcpListener? listener = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{netns}");
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new IOException($"setns into {netns} failed: errno {Marshal.GetLastPInvokeError()}");
                listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
            }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        return listener ?? throw new IOException($"Could not listen on 127.0.0.1:{port} in {netns}", failure);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = PipeAsync(inbound);
        }
    }

    private async Task PipeAsync(TcpClient inbound)
    {
        using (inbound)
        using (var outbound = new TcpClient())
        {
            try
            {
                if (await _open(inbound.GetStream(), _stop.Token) is not { } opened) return;
                var (a, port) = opened;
                await using (a)
                {
                    await outbound.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                    var b = outbound.GetStream();
                    await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or AuthenticationException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
