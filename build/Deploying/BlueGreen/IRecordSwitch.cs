using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;

namespace Pipeline.Deploying.BlueGreen;

/// <summary>
/// Points a blue/green group's dns: records at one colour's members (through the DNS step's provider, its ownership rules
/// kept) and returns once every authoritative server answers them. Built by the Dns concern; Deploy only calls it.
/// </summary>
public interface IRecordSwitch
{
    /// <summary>Refuses, before anything starts, a group whose records cannot follow a colour.</summary>
    void Check(GroupDefinition group);

    Task SwitchAsync(GroupDefinition group, IReadOnlyList<ObservedInstance> members, CancellationToken ct);

    /// <summary>The colour whose address the group's name points at in the zone now; null when it points at neither.</summary>
    Task<Colour?> LiveAsync(GroupDefinition group, CancellationToken ct);
}

/// <summary>No dns: section: a blue/green deploy cannot switch anything and says so before it starts.</summary>
public sealed class NoRecordSwitch : IRecordSwitch
{
    public void Check(GroupDefinition group) =>
        throw new Engine.PipelineException(
            $"groups/{group.Name}: blue_green: dns needs the group's records in the dns: section (dns/records/{group.Name})"
        );

    public Task SwitchAsync(GroupDefinition group, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        Check(group);
        return Task.CompletedTask;
    }

    public Task<Colour?> LiveAsync(GroupDefinition group, CancellationToken ct) => Task.FromResult<Colour?>(null);
}
