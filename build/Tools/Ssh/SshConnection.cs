using Pipeline.Engine;
using Renci.SshNet;
using Renci.SshNet.Common;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Tools.Ssh;

/// <summary>
/// One SSH.NET connection to a host, host key checked against the pinned known_hosts file before anything is sent
/// (<see cref="HostKeyRefusedException"/> otherwise), optionally forwarded through a jump host whose key is pinned
/// in the same file. Commands run on channels of this one connection, several at a time.
/// </summary>
public sealed class SshConnection : IDisposable
{
    private readonly SshClient _client;
    private readonly SshClient? _jump;
    private readonly ForwardedPortLocal? _forward;

    private SshConnection(SshTarget target, SshClient client, SshClient? jump, ForwardedPortLocal? forward) =>
        (Target, _client, _jump, _forward) = (target, client, jump, forward);

    public SshTarget Target { get; }
    public bool IsConnected => _client.IsConnected && (_jump?.IsConnected ?? true);

    public static async Task<SshConnection> OpenAsync(SshTarget target, CancellationToken ct)
    {
        var pins = KnownHostsFile.Read(target.KnownHosts);
        var keys = SshIdentity.Load(target.Identity);
        SshClient? jump = null;
        ForwardedPortLocal? forward = null;
        try
        {
            var (host, port) = (target.Endpoint.Host, target.Endpoint.Port);
            if (target.Jump is { } bastion)
            {
                jump = await ConnectAsync(bastion, bastion.Host, bastion.Port, pins, keys, ct);
                forward = new ForwardedPortLocal("127.0.0.1", 0, target.Endpoint.Host, (uint)target.Endpoint.Port);
                jump.AddForwardedPort(forward);
                forward.Start();
                (host, port) = ("127.0.0.1", (int)forward.BoundPort);
            }
            return new SshConnection(target, await ConnectAsync(target.Endpoint, host, port, pins, keys, ct), jump, forward);
        }
        catch
        {
            forward?.Dispose();
            jump?.Dispose();
            throw;
        }
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> (the endpoint itself, or a forwarded port) as <paramref
    /// name="endpoint"/>.</summary>
    private static async Task<SshClient> ConnectAsync(
        SshEndpoint endpoint,
        string host,
        int port,
        KnownHostsFile pins,
        IPrivateKeySource[] keys,
        CancellationToken ct
    )
    {
        var info = new ConnectionInfo(host, port, endpoint.User, new PrivateKeyAuthenticationMethod(endpoint.User, keys))
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        PreferPinnedKeyTypes(info, pins.For(endpoint));
        var client = new SshClient(info) { KeepAliveInterval = TimeSpan.FromSeconds(15) };
        HostKeyRefusedException? refused = null;
        client.HostKeyReceived += (_, e) =>
        {
            var reason = pins.Refusal(endpoint, e.HostKey);
            e.CanTrust = reason is null;
            if (reason is not null)
                refused = new HostKeyRefusedException(endpoint, KeyType(e.HostKey, e.HostKeyName), e.FingerPrintSHA256, reason, pins.Path);
        };
        try
        {
            await client.ConnectAsync(ct);
            return client;
        }
        catch (Exception e) when (e is SshException or SocketException or IOException or TimeoutException)
        {
            client.Dispose();
            if (refused is not null) throw refused;
            throw new PipelineException($"ssh {endpoint}: {Line(e.Message)}", e);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Offers only the host key algorithms of the key types pinned for the host (as OpenSSH does), so a host with
    /// several keys presents the pinned one; no certificate algorithms (certificates are not trusted through known_hosts).
    /// </summary>
    private static void PreferPinnedKeyTypes(ConnectionInfo info, IReadOnlyList<KnownHostEntry> pinned)
    {
        var types = pinned.Where(p => !p.Revoked).Select(p => p.KeyType).ToHashSet(StringComparer.Ordinal);
        bool Pinned(string algorithm) =>
            types.Contains(algorithm) || (types.Contains("ssh-rsa") && algorithm is "rsa-sha2-512" or "rsa-sha2-256");
        var offered = info.HostKeyAlgorithms.Keys.Where(Pinned).ToHashSet(StringComparer.Ordinal);
        foreach (var algorithm in info.HostKeyAlgorithms.Keys.ToList())
            if (algorithm.Contains("-cert-", StringComparison.Ordinal) || (offered.Count > 0 && !offered.Contains(algorithm)))
                info.HostKeyAlgorithms.Remove(algorithm);
    }

    /// <summary>The key type named at the start of an SSH public key blob (<c>ssh-ed25519</c>, <c>ssh-rsa</c>, …).</summary>
    private static string KeyType(byte[] blob, string fallback)
    {
        if (blob.Length < 4) return fallback;
        var length = BinaryPrimitives.ReadInt32BigEndian(blob);
        return length > 0 && length <= blob.Length - 4 ? Encoding.ASCII.GetString(blob, 4, length) : fallback;
    }

    /// <summary>
    /// Runs one remote command line on a new channel of this connection: <paramref name="writeInput"/> fills its stdin
    /// (closed after it returns; at once when null), <paramref name="readOutput"/> consumes its stdout as it arrives
    /// (when null, stdout is kept as text). Returns the exit status (-1 when the command died of a signal).
    /// </summary>
    public async Task<SshResult> RunAsync(
        string line,
        Func<Stream, CancellationToken, Task>? writeInput,
        Func<Stream, CancellationToken, Task>? readOutput,
        CancellationToken ct
    )
    {
        using var command = _client.CreateCommand(line);
        var execution = command.ExecuteAsync(ct);
        var text = new MemoryStream();
        var stdout = Task.Run(
            () => readOutput is null ? command.OutputStream.CopyToAsync(text, ct) : readOutput(command.OutputStream, ct),
            ct
        );
        var stderr = new StreamReader(command.ExtendedOutputStream, Encoding.UTF8).ReadToEndAsync(ct);
        Exception? unsent = null;
        try
        {
            await using var stdin = command.CreateInputStream();
            if (writeInput is not null) await writeInput(stdin, ct);
        }
        // InvalidOperationException: SSH.NET's "input stream can be used only during execution", when a quick command
        // (docker ps) has already ended, which a loaded machine lets happen before its input is opened.
        catch (Exception e) when (e is SshException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            unsent = e;
        }
        await execution;
        await stdout;
        var exit = command.ExitStatus ?? -1;
        // A command that ended without reading all of its input failed for a reason its exit status and stderr tell; one
        // that was given no input only had its stdin closed, which its ending did already.
        if (unsent is not null && exit == 0 && writeInput is not null)
            throw new PipelineException($"ssh {Target}: sending input to the remote command failed: {Line(unsent.Message)}", unsent);
        return new SshResult(exit, Encoding.UTF8.GetString(text.ToArray()), await stderr);
    }

    private static string Line(string text) => text.ReplaceLineEndings(" ").Trim();

    public void Dispose()
    {
        _client.Dispose();
        _forward?.Dispose();
        _jump?.Dispose();
    }
}

/// <summary>What a remote command gave: its exit status, stdout (when not streamed elsewhere) and stderr.</summary>
public sealed record SshResult(int ExitCode, string StandardOutput, string StandardError);
