using Pipeline.Engine;
using Pipeline.Engine.Services;
using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>The zones and TSIG key of one local BIND: each zone starts with its SOA, one NS (<c>ns1.&lt;zone&gt;</c> → 127.0.0.1)
/// and nothing else, and the key may update every zone.</summary>
public sealed record BindZones(int Port, IReadOnlyList<string> Zones, TsigKey Key);

/// <summary>
/// Debian's BIND 9 (<c>named</c>, package bind9) on 127.0.0.1, authoritative for the given zones, with a TSIG key allowed
/// to update them (RFC 2136), in its own directory (config, zone files, journals), in the foreground (<c>-g</c>). The tests'
/// DNS server, and a local environment's when its dns: provider names this address. <c>dig</c> (bind9-dnsutils) reads it.
/// </summary>
public static class BindService
{
    public static Tool Named { get; } = Tool.Apt("named", "bind9");
    public static Tool Dig { get; } = Tool.Apt("dig", "bind9-dnsutils");

    public static LocalService Spec(string directory, BindZones zones, string name = "") =>
        new(name.Length > 0 ? name : $"named-{zones.Port}", "/usr/sbin/named", ["-g", "-c", Path.Combine(directory, "named.conf")],
            ReadinessProbe.Tcp(zones.Port))
        {
            Tools = [Named],
            Addresses = [OwnedAddress.Tcp(zones.Port)],
            BeforeStart = () => WriteFiles(directory, zones),
        };

    /// <summary>named.conf (mode 0600: it holds the key's secret) and one zone file per zone; journals from earlier runs
    /// are removed, so every start serves the zones as written.</summary>
    public static void WriteFiles(string directory, BindZones zones)
    {
        Directory.CreateDirectory(directory);
        foreach (var journal in Directory.GetFiles(directory, "*.jnl")) File.Delete(journal);
        foreach (var zone in zones.Zones) File.WriteAllText(Path.Combine(directory, $"{zone}.zone"), ZoneFile(zone));
        var config = Path.Combine(directory, "named.conf");
        File.WriteAllText(config, Config(directory, zones));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static string Config(string directory, BindZones zones) =>
        $$"""
        options {
            directory "{{directory}}";
            pid-file "{{Path.Combine(directory, "named.pid")}}";
            session-keyfile "{{Path.Combine(directory, "session.key")}}";
            managed-keys-directory "{{directory}}";
            listen-on port {{zones.Port}} { 127.0.0.1; };
            listen-on-v6 { none; };
            recursion no;
            dnssec-validation no;
            notify no;
        };
        controls { };
        key "{{zones.Key.Name}}" { algorithm {{zones.Key.Algorithm}}; secret "{{zones.Key.Secret}}"; };
        {{string.Concat(zones.Zones.Select(zone => $$"""
        zone "{{zone}}" {
            type primary;
            file "{{Path.Combine(directory, $"{zone}.zone")}}";
            allow-update { key "{{zones.Key.Name}}"; };
        };

        """))}}
        """;

    public static string ZoneFile(string zone) =>
        $"""
        $TTL 60
        @ IN SOA ns1.{zone}. hostmaster.{zone}. 1 60 60 600 60
        @ IN NS ns1.{zone}.
        ns1 IN A 127.0.0.1

        """;
}
