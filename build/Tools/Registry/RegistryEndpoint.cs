using System.Net;

namespace Pipeline.Tools.Registry;

/// <summary>Where a registry answers: <c>host[:port]</c> and whether it speaks TLS.</summary>
public sealed record RegistryEndpoint(string Address, bool Tls = true)
{
    public Uri BaseUri => new($"{(Tls ? "https" : "http")}://{Address}/");

    /// <summary>The host without the port (IPv6 brackets kept off).</summary>
    public string Host => HostOf(Address);

    /// <summary>True for 127.0.0.0/8, ::1 and localhost: the only places plain HTTP is allowed.</summary>
    public bool IsLoopback => IsLoopbackHost(Host);

    public override string ToString() => Address;

    public static string HostOf(string address)
    {
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']');
            return close > 0 ? address[1..close] : address;
        }
        var colon = address.LastIndexOf(':');
        return colon > 0 && address.IndexOf(':') == colon ? address[..colon] : address;
    }

    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}

/// <summary>A user name and password (or token) for basic auth or a bearer token service.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    public override string ToString() => $"{Username}:****";
}
