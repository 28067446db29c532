using Pipeline.Definitions;
using Pipeline.Deploying.Definitions;

namespace Pipeline.Dns;

/// <summary>
/// The dns: side of <c>blue_green: dns</c> (not of <c>haproxy</c>, which switches HAProxy's map), checked with the inputs
/// before anything runs: such a group has an entry under
/// <c>dns/records</c>, and it names neither <c>address</c> nor <c>cname</c> (the group's name follows the live colour's address).
/// </summary>
public static class BlueGreenRecords
{
    public static void Check(DefinitionNode root, IEnumerable<GroupDefinition> groups)
    {
        foreach (var group in groups.Where(g => g.BlueGreen is { Switch: BlueGreenSwitch.Dns }))
        {
            var mode = root.Required("groups").Required(group.Name).Required("blue_green");
            var records = root.Optional("dns")?.Optional("records")?.Optional(group.Name)
                ?? throw mode.Error($"blue_green: dns switches the group's dns: records: add dns/records/{group.Name}: {{}}");
            foreach (var key in new[] { "address", "cname" })
                if (records.Optional(key) is { } fixedTarget)
                    throw fixedTarget.Error("a blue/green group's name follows its live colour's address: remove it");
        }
    }
}
