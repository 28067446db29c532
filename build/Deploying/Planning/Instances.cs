using Pipeline.Deploying.Definitions;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Deploying.Planning;

/// <summary>What should run in one slot of a group: the image reference and a hash of everything else that makes it.</summary>
public sealed record DesiredInstance(string Name, int Slot, string Image, string SpecHash, IReadOnlyDictionary<string, string> Env)
{
    /// <summary>
    /// The desired instances of a group. The spec hash covers the image, environment (secret values included, hashed),
    /// ports and health port, so a changed variable also replaces the instance.
    /// </summary>
    public static IReadOnlyList<DesiredInstance> For(GroupDefinition group, string image) =>
        Enumerable.Range(1, group.Count).Select(slot => ForSlot(group, image, slot)).ToList();

    public static DesiredInstance ForSlot(GroupDefinition group, string image, int slot)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in group.Env) env[k] = v;
        foreach (var (k, v) in group.SecretEnv) env[k] = v;
        var text = new StringBuilder().Append(image).Append('\n')
            .Append(group.Ports.Container).Append('/').Append(group.Ports.HostPort(slot)).Append('/').Append(group.Ports.Bind).Append('\n');
        foreach (var (k, v) in env) text.Append(k).Append('=').Append(v).Append('\n');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        return new DesiredInstance(group.InstanceName(slot), slot, image, hash, env);
    }
}

/// <summary>One instance as a provider sees it now.</summary>
/// <param name="Address">host:port the load balancer and health checks reach it at.</param>
public sealed record ObservedInstance(string Name, int Slot, string Image, string SpecHash, string Address, bool Running)
{
    public string Id { get; init; } = Name;
}

public enum ChangeKind { Create, Replace, Remove, Keep }

public sealed record InstanceChange(ChangeKind Kind, string Name, int Slot, string? From, string? To, string? Reason = null)
{
    public string Symbol => Kind switch { ChangeKind.Create => "+", ChangeKind.Replace => "~", ChangeKind.Remove => "-", _ => " " };
}
