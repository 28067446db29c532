using Pipeline.Deploying;
using Pipeline.Dns;
using Pipeline.Engine;

namespace Pipeline;

/// <summary>DNS as a step: the records of the dns: section follow the groups' members, through the section's provider.</summary>
partial class Build
{
    [Parameter("The TSIG secret (base64) of the dns: provider's key, which signs rfc2136 updates.")]
    [Secret]
    readonly string? DnsTsigSecret;

    Target Dns => _ => _
        .Description("Point the dns: section's names at each group's members (run by Deploy when the section is there); "
            + "never touch a name Pipeline does not own.")
        .TriggeredBy(Deploy)
        .OnlyWhenStatic(() => HasDnsSection)
        .Executes(async ct => await DnsStep.ApplyAsync(await DnsMembersAsync(ct), ct));

    bool HasDnsSection => EnvironmentFile.Exists && EnvironmentRoot.Optional("dns") is not null;

    DnsDefinition? _dnsDefinition;
    /// <summary>The dns: section, validated once per run (the input check, Plan and Dns share it).</summary>
    DnsDefinition DnsDefinition => _dnsDefinition ??= DnsDefinitionLoader.Load(
        EnvironmentRoot,
        EnvironmentName,
        EnvironmentRoot.Optional("groups") is null ? [] : DeployDefinition.Groups.Select(g => g.Name).ToList()
    );

    DnsStep DnsStep => new(DnsDefinition, DnsProvider(DnsDefinition.Provider.Name));

    /// <summary>A provider of the dns: section by name (Dns uses the section's own; Certificates' DNS-01 names one).</summary>
    IDnsProvider DnsProvider(string name) => DnsDefinition.Providers.TryGetValue(name, out var provider)
        ? new Rfc2136Provider(DnsDefinition.Zone, provider, DnsTsigSecret)
        : throw new UsageException($"dns/providers has no provider '{name}' ({string.Join(", ", DnsDefinition.Providers.Keys)})");

    /// <summary>Plan's DNS part: what Dns would change now; whether it would change anything (refusals count as changes).</summary>
    async Task<bool> PlanDnsAsync(CancellationToken ct)
    {
        if (!HasDnsSection) return false;
        var plan = await DnsStep.PlanAsync(await DnsMembersAsync(ct), ct);
        return plan.HasChanges || plan.Refusals.Count > 0;
    }

    /// <summary>Each group's running members, the listing file_sd writes, as the dns: section's records need them.</summary>
    async Task<IReadOnlyDictionary<string, IReadOnlyList<DnsMember>>> DnsMembersAsync(CancellationToken ct)
    {
        var members = new Dictionary<string, IReadOnlyList<DnsMember>>(StringComparer.Ordinal);
        await using var targets = new GroupTarget(DeployLayout);
        foreach (var records in DnsDefinition.Records)
        {
            var listing = await targets.Rollout(DeployDefinition.Group(records.Group)).MembersAsync(ct);
            members[records.Group] = listing.Where(i => i.Running).OrderBy(i => i.Slot)
                .Select(i => new DnsMember(i.Name, i.Address)).ToList();
        }
        return members;
    }
}
