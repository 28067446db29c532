using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Acme;

/// <summary>
/// The built-in HTTP-01 responder: a minimal HTTP/1.1 server on 127.0.0.1 that answers
/// <c>GET /.well-known/acme-challenge/&lt;token&gt;</c> with the key authorization, and 404 otherwise.
/// </summary>
public sealed class Http01Responder : IAsyncDisposable
{
    public const string PathPrefix = "/.well-known/acme-challenge/";
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public Http01Responder(int port, IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new Engine.PipelineException(
                $"The HTTP-01 responder cannot listen on port {port}: {e.Message} (free the port or set certificates/challenge/http-port)."
            );
        }
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptAsync(_stop.Token);
    }

    public int Port { get; }
    public void Add(string token, string keyAuthorization) => _tokens[token] = keyAuthorization;
    public void Remove(string token) => _tokens.TryRemove(token, out _);

    /// <summary>The answer to a request line, e.g. <c>GET /.well-known/acme-challenge/abc HTTP/1.1</c>: status and body.</summary>
    public (int Status, string Body) Answer(string requestLine)
    {
        var parts = requestLine.Split(' ');
        if (parts.Length < 2 || parts[0] != "GET" || !parts[1].StartsWith(PathPrefix, StringComparison.Ordinal)) return (404, "");
        return _tokens.TryGetValue(parts[1][PathPrefix.Length..], out var keyAuthorization) ? (200, keyAuthorization) : (404, "");
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(ct); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync(timeout.Token) ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync(timeout.Token))) { }
                var (status, body) = Answer(requestLine);
                var bytes = Encoding.ASCII.GetBytes(body);
                var head =
                    $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Not Found")}\r\nContent-Type: text/plain\r\nContent-Length: "
                    + $"{bytes.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
                await stream.WriteAsync(bytes, timeout.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
