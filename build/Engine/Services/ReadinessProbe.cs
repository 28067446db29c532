using System.Net;
using System.Net.Sockets;

namespace Pipeline.Engine.Services;

/// <summary>Answers whether a service is ready: a TCP port accepts, a unix socket accepts, an HTTP URL answers.</summary>
public abstract record ReadinessProbe
{
    public abstract Task<bool> IsReadyAsync(CancellationToken ct);
    public abstract string Describe();

    public static ReadinessProbe Tcp(int port) => new TcpProbe(port);
    public static ReadinessProbe UnixSocket(string path) => new UnixSocketProbe(path);
    public static ReadinessProbe Http(string url) => new HttpProbe(url);

    private sealed record TcpProbe(int Port) : ReadinessProbe
    {
        public override async Task<bool> IsReadyAsync(CancellationToken ct)
        {
            // An address, not the text "127.0.0.1": TcpClient would send that through name resolution first.
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try { await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), ct); return true; }
            catch (SocketException) { return false; }
        }
        public override string Describe() => $"127.0.0.1:{Port}";
    }

    private sealed record UnixSocketProbe(string Path) : ReadinessProbe
    {
        public override async Task<bool> IsReadyAsync(CancellationToken ct)
        {
            if (!File.Exists(Path)) return false;
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try { await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path), ct); return true; }
            catch (SocketException) { return false; }
        }
        public override string Describe() => $"unix:{Path}";
    }

    private sealed record HttpProbe(string Url) : ReadinessProbe
    {
        private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(2) };

        public override async Task<bool> IsReadyAsync(CancellationToken ct)
        {
            try
            {
                using var response = await Client.GetAsync(Url, ct);
                return (int)response.StatusCode < 500;
            }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return false; }
        }
        public override string Describe() => Url;
    }
}
