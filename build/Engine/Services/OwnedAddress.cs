namespace Pipeline.Engine.Services;

/// <summary>
/// The one rule for "is this the local one?": an endpoint is a local service's when it is the address that service
/// owns, its port on 127.0.0.1 (a URL or host:port naming 127.0.0.1 or localhost there) or its unix socket. A
/// loopback address on another port is somebody else's service, a remote host never is one of ours, and the
/// environment's name plays no part. Targets start a local service only when an endpoint they are about to use
/// passes this (<see cref="LocalService.Owns"/>, <see cref="LocalServiceManager.StartIfOwnedAsync"/>).
/// </summary>
public sealed record OwnedAddress
{
    private OwnedAddress(int? port, AbsolutePath? socket) { Port = port; Socket = socket; }

    /// <summary>The TCP port on 127.0.0.1, when the service owns one.</summary>
    public int? Port { get; }

    /// <summary>The unix socket, when the service owns one.</summary>
    public AbsolutePath? Socket { get; }

    public static OwnedAddress Tcp(int port) =>
        port is > 0 and <= 65535 ? new(port, null) : throw new ArgumentOutOfRangeException(nameof(port), port, "a TCP port is 1-65535");

    public static OwnedAddress UnixSocket(AbsolutePath path) => new(null, path);

    /// <summary>
    /// Whether <paramref name="endpoint"/> is this address: <c>http(s)://127.0.0.1:port/…</c>, <c>127.0.0.1:port</c>,
    /// <c>unix:/path</c> or an absolute socket path. Relative socket paths are rooted by the caller first.
    /// </summary>
    public bool Matches(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint)) return false;
        endpoint = endpoint.Trim();
        if (Socket is { } socket)
        {
            var path = endpoint.StartsWith("unix:", StringComparison.Ordinal) ? endpoint[5..] : endpoint;
            return Path.IsPathRooted(path) && new AbsolutePath(path) == socket;
        }
        return HostAndPort(endpoint) is var (host, port) && port == Port && IsOurHost(host);
    }

    /// <summary>Whether something answers at this address now (a socket accepts, the port accepts).</summary>
    public ReadinessProbe Probe => Socket is { } socket ? ReadinessProbe.UnixSocket(socket) : ReadinessProbe.Tcp(Port!.Value);

    public override string ToString() => Socket is { } socket ? $"unix:{socket}" : $"127.0.0.1:{Port}";

    /// <summary>Host and port of a URL (its scheme's default port when it names none) or of <c>host:port</c>.</summary>
    private static (string Host, int Port)? HostAndPort(string endpoint)
    {
        if (endpoint.Contains("://", StringComparison.Ordinal))
            return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Port > 0 ? (uri.Host, uri.Port) : null;
        var colon = endpoint.LastIndexOf(':');
        return
            colon > 0
            && int.TryParse(
                endpoint[(colon + 1)..].TrimEnd('/'),
                System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture,
                out var port
            )
            ? (endpoint[..colon], port)
            : null;
    }

    /// <summary>The services listen on 127.0.0.1 only, which <c>localhost</c> also names; [::1] or another host does not reach
    /// them.</summary>
    private static bool IsOurHost(string host) =>
        host == "127.0.0.1" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);
}
