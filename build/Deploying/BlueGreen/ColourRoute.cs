using Pipeline.Deploying.Definitions;

namespace Pipeline.Deploying.BlueGreen;

/// <summary>How Plan, Deploy and the journal name where a blue/green group's traffic goes (pure): the dns: records, or HAProxy's
/// frontend and the colour's backend.</summary>
public static class ColourRoute
{
    private static bool ByDns(GroupDefinition group) => group.BlueGreen!.Switch == BlueGreenSwitch.Dns;

    /// <summary>What is switched: <c>the dns: records</c>, <c>HAProxy's web frontend</c>.</summary>
    public static string Noun(GroupDefinition group) =>
        ByDns(group) ? "the dns: records" : $"HAProxy's {group.LoadBalancer!.Backend} frontend";

    /// <summary>Where a colour takes traffic: its address (dns), its backend (haproxy).</summary>
    public static string Place(GroupDefinition group, Colour colour) =>
        ByDns(group) ? group.BlueGreen!.Address(colour) : group.LoadBalancer!.ColourBackend(colour);

    /// <summary><c>the dns: records point at green</c>, <c>HAProxy's web frontend sends to web_green</c>.</summary>
    public static string Leads(GroupDefinition group, Colour colour) =>
        ByDns(group) ? $"the dns: records point at {colour.Lower()}" : $"{Noun(group)} sends to {Place(group, colour)}";

    /// <summary>Where the live colour is read from, when it differs from the state file.</summary>
    public static string Truth(GroupDefinition group) => ByDns(group) ? "the records" : "HAProxy";
}
