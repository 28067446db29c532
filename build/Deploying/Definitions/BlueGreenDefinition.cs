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

/// <summary>
/// <c>groups/&lt;name&gt;/blue_green: dns</c> with <c>keep</c> and <c>colours</c>: Deploy starts the idle colour as a whole, checks
/// its health, then points the group's dns: records at it; the old colour keeps running for <see cref="Keep"/> (a rollback is a
/// switch back while it runs). Each colour publishes the group's ports on its own address, which the records point at.
/// </summary>
/// <param name="Keep">How long the old colour stays up after a switch (default 30m); the next deploy after that removes it.</param>
public sealed record BlueGreenDefinition(TimeSpan Keep, string BlueAddress, string GreenAddress)
{
    public static readonly TimeSpan DefaultKeep = TimeSpan.FromMinutes(30);

    public string Address(Colour colour) => colour == Colour.Blue ? BlueAddress : GreenAddress;

    /// <summary>Reads <c>blue_green</c>, <c>keep</c> and <c>colours</c> of a group node (null without <c>blue_green</c>).</summary>
    internal static BlueGreenDefinition? Read(DefinitionNode group)
    {
        var mode = group.Optional("blue_green");
        if (mode is null)
        {
            foreach (var key in new[] { "keep", "colours" })
                if (group.Optional(key) is { } stray) throw stray.Error("only for a blue/green group: add blue_green: dns");
            return null;
        }
        if (mode.String() != "dns") throw mode.Error($"'{mode.String()}' is not a blue/green mode: the one mode is dns");
        var keep = GroupLoader.Positive(group, "keep", DefaultKeep);
        var colours = group.Required("colours", "blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}");
        colours.AllowOnly("blue", "green");
        var blue = ReadAddress(colours.Required("blue", "{address: <ip>}"));
        var green = ReadAddress(colours.Required("green", "{address: <ip>}"));
        if (blue == green) throw colours.Required("green").Required("address").Error($"blue and green share {blue}: give each its own");
        return new BlueGreenDefinition(keep, blue, green);
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
