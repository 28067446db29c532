using Pipeline.Engine;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Tools.Haproxy;

/// <summary>
/// HAProxy's runtime API (the <c>stats socket … level admin</c>), over a unix socket or a loopback TCP address: one
/// command per connection (non-interactive mode), the answer read to the end. Commands are built by
/// <see cref="HaproxyCommands"/>; answers other than success raise <see cref="PipelineException"/>.
/// </summary>
public sealed class HaproxyRuntimeApi(string endpoint)
{
    /// <summary><c>unix:/path/admin.sock</c>, a bare path, or <c>host:port</c>.</summary>
    public string Endpoint { get; } = endpoint;

    public async Task<string> SendAsync(string command, CancellationToken ct)
    {
        using var socket = await ConnectAsync(ct);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, ct);
        var answer = new StringBuilder();
        var buffer = new byte[16384];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        return answer.ToString();
    }

    /// <summary>Sends a command whose success answer is empty (or a known confirmation); anything else is an error.</summary>
    public async Task ExecuteAsync(string command, CancellationToken ct)
    {
        var answer = (await SendAsync(command, ct)).Trim();
        if (answer.Length == 0 || answer.StartsWith("New server registered", StringComparison.Ordinal)
            || answer.StartsWith("Server deleted", StringComparison.Ordinal) || answer.StartsWith("Health check", StringComparison.Ordinal))
            return;
        throw new HaproxyRefusedException($"HAProxy ({Endpoint}) refused '{command}': {answer.ReplaceLineEndings(" ")}", answer);
    }

    public async Task<IReadOnlyList<ServerStatus>> ServersAsync(string backend, CancellationToken ct) =>
        ServerStatus.ParseStat(await SendAsync(HaproxyCommands.ShowStat(), ct), backend);

    private async Task<Socket> ConnectAsync(CancellationToken ct)
    {
        var path = Endpoint.StartsWith("unix:", StringComparison.Ordinal) ? Endpoint[5..] : Endpoint.StartsWith('/') ? Endpoint : null;
        Socket socket;
        EndPoint target;
        if (path is not null)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            target = new UnixDomainSocketEndPoint(path);
        }
        else
        {
            var colon = Endpoint.LastIndexOf(':');
            var address = IPAddress.Parse(Endpoint[..colon]);
            if (!IPAddress.IsLoopback(address))
                throw new UsageException(
                    $"HAProxy runtime API {Endpoint}: only a loopback address or a unix socket is allowed (tunnel a remote one through ssh)"
                );
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            target = new IPEndPoint(address, int.Parse(Endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(target, timeout.Token);
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new PipelineException(
                $"HAProxy runtime API {Endpoint} does not answer ({e.Message}); is HAProxy running? (./build.sh Up)"
            );
        }
    }
}
