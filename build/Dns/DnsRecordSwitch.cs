using Pipeline.Deploying.BlueGreen;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;
using Pipeline.Engine;
using Pipeline.Tools.Dns;

namespace Pipeline.Dns;

/// <summary>
/// A blue/green group's switch through the Dns step: only that group's names of the dns: section are planned and written, from
/// the target colour's members (each colour publishes on its own address, so the group's name then points at that address), in
/// one update with the ownership markers kept; a name Pipeline does not own refuses the switch before anything is written.
/// The zone is also where the live colour is read back (<see cref="LiveAsync"/>), so a machine without the state file of the
/// one that switched still knows it.
/// </summary>
public sealed class DnsRecordSwitch(DnsDefinition definition, IDnsProvider provider) : IColourSwitch
{
    public void Check(GroupDefinition group)
    {
        var records = definition.Records.FirstOrDefault(r => r.Group == group.Name)
            ?? throw new PipelineException(
                $"groups/{group.Name}: blue_green: dns needs the group's records in the dns: section (dns/records/{group.Name}: {{}})"
            );
        if (records.Address is not null || records.Cname is not null)
            throw new PipelineException(
                $"dns/records/{group.Name}: a blue/green group's name follows its live colour's address; remove address:/cname:"
            );
    }

    public async Task<Colour?> LiveAsync(GroupDefinition group, CancellationToken ct)
    {
        Check(group);
        var name = definition.Qualify(definition.Records.First(r => r.Group == group.Name).Name);
        foreach (var colour in new[] { Colour.Blue, Colour.Green })
        {
            var address = group.BlueGreen!.Address(colour);
            var type = System.Net.IPAddress.Parse(address).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? DnsRecordType.AAAA
                : DnsRecordType.A;
            if ((await provider.ReadAsync(name, type, ct)).Values is [var only] && only == address) return colour;
        }
        return null;
    }

    /// <summary>Points the records at the colour's members and returns once every authoritative server answers them.</summary>
    public async Task SwitchAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        Check(group);
        var mine = definition with { Records = definition.Records.Where(r => r.Group == group.Name).ToList() };
        await new DnsStep(mine, provider).ApplyAsync(
            new Dictionary<string, IReadOnlyList<DnsMember>>(StringComparer.Ordinal)
            {
                [group.Name] = members.OrderBy(m => m.Slot).Select(m => new DnsMember(m.Name, m.Address)).ToList(),
            },
            ct
        );
    }
}
