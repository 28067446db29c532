using Pipeline.Definitions;
using System.Net;

namespace Pipeline.Deploying.Definitions;

/// <summary>The two colours of a blue/green group: one runs the live version, the other is idle (or kept for rollback).</summary>
public enum Colour { Blue, Green }

public static class Colours
{
    public static Colour Other(this Colour colour) => colour == Colour.Blue ? Colour.Green : Colour.Blue;
    public static string Lower(this Colour colour) => colour == Colour.Blue ? "blue" : "green";
}

/// <summary>How a blue/green group's traffic moves to the new colour: its dns: records, or HAProxy's colour map.</summary>
public enum BlueGreenSwitch { Dns, Haproxy }

/// <summary>
/// <c>groups/&lt;name&gt;/blue_green: dns|haproxy</c> with <c>keep</c>: Deploy starts the idle colour as a whole, checks its health,
/// then switches the group's traffic to it; the old colour keeps running for <see cref="Keep"/> (a rollback is a switch back while
/// it runs). With <c>dns</c> each colour publishes the group's ports on its own address (<c>colours</c>), which the records point
/// at: a docker group's docker host, or the one host of an ssh group (one address cannot belong to two hosts); with <c>haproxy</c>
/// both colours publish on <c>ports/bind</c>, green's ports after blue's, each colour in its own backend
/// (<c>&lt;backend&gt;_blue</c>, <c>&lt;backend&gt;_green</c>), and the frontend's map entry is switched.
/// </summary>
/// <param name="Keep">How long the old colour stays up after a switch (default 30m); the next deploy after that removes it.</param>
public sealed record BlueGreenDefinition(TimeSpan Keep, string BlueAddress, string GreenAddress)
{
    public static readonly TimeSpan DefaultKeep = TimeSpan.FromMinutes(30);

    public BlueGreenSwitch Switch { get; init; } = BlueGreenSwitch.Dns;

    /// <summary><c>test_traffic</c>: the new colour judged against the live one on test requests before the switch (none: the
    /// health gate alone decides).</summary>
    public TestTrafficDefinition? Test { get; init; }

    public string Address(Colour colour) => colour == Colour.Blue ? BlueAddress : GreenAddress;

    /// <summary>Where a colour publishes the group's ports: its own address (dns), or the group's ports after blue's (haproxy).</summary>
    public PortsDefinition PortsOf(Colour colour, PortsDefinition ports, int count) => Switch == BlueGreenSwitch.Dns
        ? ports with { Bind = Address(colour) }
        : ports with { HostBase = ports.HostBase + (colour == Colour.Green ? count : 0) };

    /// <summary>Reads <c>blue_green</c>, <c>keep</c> and <c>colours</c> of a group node (null without <c>blue_green</c>).</summary>
    internal static BlueGreenDefinition? Read(DefinitionNode group, PortsDefinition ports)
    {
        var mode = group.Optional("blue_green");
        if (mode is null)
        {
            foreach (var key in new[] { "keep", "colours", "test_traffic" })
                if (group.Optional(key) is { } stray) throw stray.Error("only for a blue/green group: add blue_green: dns or haproxy");
            return null;
        }
        var keep = GroupLoader.Positive(group, "keep", DefaultKeep);
        var test = TestTrafficDefinition.Read(group);
        if (mode.String() == "haproxy")
        {
            if (group.Optional("colours") is { } colours)
                throw colours.Error(
                    "only for blue_green: dns (with haproxy both colours publish on ports/bind, green's ports after blue's)");
            return new BlueGreenDefinition(keep, ports.Bind, ports.Bind) { Switch = BlueGreenSwitch.Haproxy, Test = test };
        }
        if (mode.String() != "dns") throw mode.Error($"'{mode.String()}' is not a blue/green mode: dns or haproxy");
        return ReadDns(group, keep) with { Test = test };
    }

    private static BlueGreenDefinition ReadDns(DefinitionNode group, TimeSpan keep)
    {
        var colours = group.Required("colours", "blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}");
        colours.AllowOnly("blue", "green");
        var blue = ReadAddress(colours.Required("blue", "{address: <ip>}"));
        var green = ReadAddress(colours.Required("green", "{address: <ip>}"));
        if (blue == green) throw colours.Required("green").Required("address").Error($"blue and green share {blue}: give each its own");
        return new BlueGreenDefinition(keep, blue, green);
    }

    /// <summary>What each mode needs of the rest of the group (checked once the group is read).</summary>
    internal static void Check(GroupDefinition group, DefinitionNode node)
    {
        if (group.BlueGreen is not { } bg) return;
        var mode = node.Required("blue_green");
        if (bg.Switch == BlueGreenSwitch.Dns)
        {
            if (group.Provider is not (ProviderKind.Docker or ProviderKind.Ssh))
                throw mode.Error("blue/green by DNS needs a docker or ssh group (a cloud group is replaced by its cloud)");
            if (group.Ssh is { Hosts.Count: > 1 } ssh)
                throw node.Required("ssh").Required("hosts").Error(
                    $"blue/green by DNS takes one ssh host (each colour's address is an address of that host), not {ssh.Hosts.Count}: "
                    + "list one, or use blue_green: haproxy");
            if (group.LoadBalancer is not null)
                throw mode.Error("a blue/green group is switched by DNS, not a load balancer: remove load_balancer");
            return;
        }
        if (group.Provider is not (ProviderKind.Docker or ProviderKind.Ssh))
            throw mode.Error("blue/green on HAProxy needs a docker or ssh group (a cloud group is replaced by its cloud)");
        if (group.LoadBalancer is null)
            throw mode.Error("blue_green: haproxy switches the frontend between <backend>_blue and <backend>_green: "
                + "add load_balancer: {haproxy: {socket, backend}}");
        if (group.Ports.HostBase == 0) throw mode.Error("blue_green: haproxy needs ports/host_base (green's ports follow blue's)");
        if (group.Ports.HostBase + 2 * group.Count - 1 > 65535)
            throw node.Required("ports").Required("host_base")
                .Error($"the two colours need {2 * group.Count} host ports from here; lower it");
    }

    private static string ReadAddress(DefinitionNode colour)
    {
        colour.AllowOnly("address");
        var node = colour.Required("address", "the IP address this colour publishes the group's ports on");
        var text = node.String();
        if (!IPAddress.TryParse(text, out var ip))
            throw node.Error($"'{text}' must be an IP address (the dns: records point at it), e.g. 127.0.0.2");
        return ip.ToString();
    }
}
