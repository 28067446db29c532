using System.Globalization;

namespace Pipeline.Tools.Ssh;

/// <summary>Where an ssh connection goes: <c>user@host:port</c> (IPv6 as <c>user@[::1]:port</c>).</summary>
public sealed record SshEndpoint(string Host, string User, int Port = 22)
{
    /// <summary>
    /// Parses <c>[user@]host[:port]</c>; a missing user or port takes the default given. Null when the text is not one
    /// (the caller names the file and key path).
    /// </summary>
    public static SshEndpoint? TryParse(string text, string defaultUser, int defaultPort = 22)
    {
        var user = defaultUser;
        var at = text.LastIndexOf('@');
        if (at >= 0) (user, text) = (text[..at], text[(at + 1)..]);
        var port = defaultPort;
        string host;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) return null;
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port))) return null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (!TryPort(text[(colon + 1)..], out port)) return null;
            host = text[..colon];
        }
        else host = text;
        if (user.Length == 0 || host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@')) return null;
        return new SshEndpoint(host, user, port);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    /// <summary>How known_hosts names this host: <c>host</c> on port 22, <c>[host]:port</c> otherwise (as OpenSSH writes it).</summary>
    public string KnownHostsName => Port == 22 ? Host : $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => $"{User}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
