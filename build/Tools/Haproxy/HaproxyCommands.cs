namespace Pipeline.Tools.Haproxy;

public enum ServerAdminState { Ready, Drain, Maint }

/// <summary>The runtime API commands Deploy sends (HAProxy 2.6 management guide, section 9.3), as text.</summary>
public static class HaproxyCommands
{
    public static string SetState(string backend, string server, ServerAdminState state) =>
        $"set server {Id(backend)}/{Id(server)} state {state.ToString().ToLowerInvariant()}";

    /// <summary>A dynamic server: created in maintenance, health-checked like the group's check once enabled.</summary>
    public static string AddServer(string backend, string server, string address, string? checkPath, TimeSpan interval) =>
        checkPath is null
            ? $"add server {Id(backend)}/{Id(server)} {Address(address)}"
            : $"add server {Id(backend)}/{Id(server)} {Address(address)} check inter {(int)Math.Max(100, interval.TotalMilliseconds)}ms "
                + $"rise 1 fall 2";

    public static string EnableHealth(string backend, string server) => $"enable health {Id(backend)}/{Id(server)}";

    /// <summary>Only a server in maintenance with no sessions can be deleted.</summary>
    public static string DelServer(string backend, string server) => $"del server {Id(backend)}/{Id(server)}";

    public static string SetAddress(string backend, string server, string address)
    {
        var colon = address.LastIndexOf(':');
        return $"set server {Id(backend)}/{Id(server)} addr {address[..colon]} port {address[(colon + 1)..]}";
    }

    public static string ShowStat() => "show stat";

    /// <summary>An absolute weight 0–256 (0: no new requests, the server stays in the pool); takes effect without a reload.</summary>
    public static string SetWeight(string backend, string server, int weight) =>
        weight is >= 0 and <= HaproxyWeights.Max
            ? $"set weight {Id(backend)}/{Id(server)} {weight}"
            : throw new ArgumentOutOfRangeException(nameof(weight), weight, "HAProxy weights are 0-256");

    /// <summary>The maps HAProxy loaded (<c># id (file) description</c> lines), or one map's entries (<c>ref key value</c>).</summary>
    public static string ShowMap(string? map = null) => map is null ? "show map" : $"show map {MapId(map)}";

    /// <summary>Changes the value of <paramref name="key"/> in a map (its file as HAProxy names it, or <c>#id</c>): one operation, so
    /// every request evaluated after it sees the new value; no reload.</summary>
    public static string SetMap(string map, string key, string value) => $"set map {MapId(map)} {Id(key)} {Id(value)}";

    private static string MapId(string map) =>
        map.Length > 0 && map.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '#')
            ? map : throw new ArgumentException($"'{map}' is not a map file or #id HAProxy accepts");

    private static string Id(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name.Length > 0
            ? name : throw new ArgumentException($"'{name}' is not a valid HAProxy proxy or server name");

    private static string Address(string address) =>
        address.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or ':' or '[' or ']' or '-')
            ? address
            : throw new ArgumentException($"'{address}' is not an address");
}
