using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Planning;

namespace Pipeline.Deploying.BlueGreen;

/// <summary>
/// Where a blue/green group's traffic goes, and how it is moved to one colour: the dns: records (<c>DnsRecordSwitch</c>, built by
/// the Dns concern) or HAProxy's colour map (<c>HaproxyColourSwitch</c>). <see cref="BlueGreenRollout"/> starts, health-gates and
/// removes the colours; a switch only routes.
/// </summary>
public interface IColourSwitch
{
    /// <summary>Refuses, before anything starts, a group whose traffic cannot follow a colour.</summary>
    void Check(GroupDefinition group);

    /// <summary>The colour that takes the group's traffic now, read where it is decided (the zone, HAProxy); null for neither.</summary>
    Task<Colour?> LiveAsync(GroupDefinition group, CancellationToken ct);

    /// <summary>Makes a colour's running members ready to take traffic before it is switched to them (HAProxy: servers of the
    /// colour's backend, its own check passing). Idempotent.</summary>
    Task PrepareAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct) =>
        Task.CompletedTask;

    /// <summary>Sends the group's traffic to <paramref name="colour"/>'s members; returns once it goes there.</summary>
    Task SwitchAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct);

    /// <summary>Lets members of a colour that takes no traffic go before they are stopped (HAProxy: deleted from its backend).</summary>
    Task ReleaseAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct) =>
        Task.CompletedTask;
}

/// <summary>No dns: section: a blue/green deploy by DNS cannot switch anything and says so before it starts.</summary>
public sealed class NoRecordSwitch : IColourSwitch
{
    public void Check(GroupDefinition group) =>
        throw new Engine.PipelineException(
            $"groups/{group.Name}: blue_green: dns needs the group's records in the dns: section (dns/records/{group.Name})"
        );

    public Task SwitchAsync(GroupDefinition group, Colour colour, IReadOnlyList<ObservedInstance> members, CancellationToken ct)
    {
        Check(group);
        return Task.CompletedTask;
    }

    public Task<Colour?> LiveAsync(GroupDefinition group, CancellationToken ct) => Task.FromResult<Colour?>(null);
}
