using Pipeline.Deploying;
using Pipeline.Deploying.BlueGreen;
using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Tools.Aws;
using Pipeline.Tools.Route53;

namespace Pipeline;

/// <summary>DNS as a step: the records of the dns: section follow the groups' members, through the section's provider.</summary>
partial class Build
{
    [Parameter("The TSIG secret (base64) of the dns: provider's key, which signs rfc2136 updates.")]
    [Secret]
    readonly string? DnsTsigSecret;

    [Parameter("The Cloudflare API token (Zone:DNS:Edit on the zone) of a cloudflare dns: provider.")]
    [Secret]
    readonly string? CloudflareApiToken;

    Target Dns => _ => _
        .Description("Point the dns: section's names at each group's members (run by Deploy when the section is there); "
            + "never touch a name Pipeline does not own.")
        .TriggeredBy(Deploy)
        .OnlyWhenStatic(() => HasDnsSection)
        .Executes(async ct =>
        {
            var wanted = DesiredRecords.For(DnsDefinition, await DnsMembersAsync(ct));
            await DnsStep.ApplyAsync(wanted, ct);
            var file = DnsRecordsFile.PathOf(ArtifactsDirectory, EnvironmentName);
            DnsRecordsFile.Write(file, DnsDefinition.Zone, wanted, DateTimeOffset.UtcNow);
        });

    [Parameter("DynamicDns: the host's name in the dns: zone (relative, e.g. home).")]
    readonly string? DynamicName;

    [Parameter("DynamicDns: the host's address (default: the text --address-url answers).")]
    readonly string? DynamicAddress;

    [Parameter("DynamicDns: a URL that answers with the caller's public address as plain text.")]
    readonly string AddressUrl = "https://api.ipify.org";

    Target DynamicDns => _ => _
        .Description("Point one host's name in the dns: zone at its current address when that changed; change nothing otherwise "
            + "(for a scheduled run).")
        .Requires(() => DynamicName)
        .Executes(async ct =>
        {
            var address = DynamicAddress ?? await PublicAddressAsync(ct);
            await DnsStep.ApplyAsync([DesiredRecords.Host(DnsDefinition, DynamicName!, address)], ct);
        });

    async Task<string> PublicAddressAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        try { return (await http.GetStringAsync(AddressUrl, ct)).Trim(); }
        catch (HttpRequestException e)
        {
            throw new PipelineException(
                $"DynamicDns: {AddressUrl} did not answer the public address ({e.Message}); give --dynamic-address"
            );
        }
    }

    bool HasDnsSection => EnvironmentFile.Exists && EnvironmentRoot.Optional("dns") is not null;

    DnsDefinition? _dnsDefinition;
    /// <summary>The dns: section, validated once per run (the input check, Plan and Dns share it).</summary>
    DnsDefinition DnsDefinition => _dnsDefinition ??= DnsDefinitionLoader.Load(
        EnvironmentRoot,
        EnvironmentName,
        EnvironmentRoot.Optional("groups") is null ? [] : DeployDefinition.Groups.Select(g => g.Name).ToList()
    );

    DnsStep DnsStep => new(DnsDefinition, DnsProvider(DnsDefinition.Provider.Name));

    /// <summary>How Deploy switches a blue/green group's records: through the dns: section's provider (none without one).</summary>
    IColourSwitch RecordSwitch => HasDnsSection
        ? new DnsRecordSwitch(DnsDefinition, DnsProvider(DnsDefinition.Provider.Name))
        : new NoRecordSwitch();

    /// <summary>A provider of the dns: section by name (Dns uses the section's own; Certificates' DNS-01 names one).</summary>
    IDnsProvider DnsProvider(string name) => DnsDefinition.Providers.GetValueOrDefault(name) switch
    {
        Rfc2136ProviderDefinition rfc2136 => new Rfc2136Provider(DnsDefinition.Zone, rfc2136, DnsTsigSecret),
        CloudflareProviderDefinition cloudflare => new CloudflareProvider(DnsDefinition.Zone, cloudflare, CloudflareApiToken, DnsHttp),
        Route53ProviderDefinition route53 => new Route53Provider(DnsDefinition.Zone, route53,
            new Route53Client(DnsHttp, route53.Endpoint, AwsCredentials.FromEnvironment())),
        _ => throw new UsageException($"dns/providers has no provider '{name}' ({string.Join(", ", DnsDefinition.Providers.Keys)})"),
    };

    HttpClient? _dnsHttp;
    HttpClient DnsHttp => _dnsHttp ??= new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

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
        await using var targets = new GroupTarget(DeployLayout) { Records = RecordSwitch };
        foreach (var records in DnsDefinition.Records)
        {
            var listing = await targets.Rollout(DeployDefinition.Group(records.Group)).MembersAsync(ct);
            members[records.Group] = listing.Where(i => i.Running).OrderBy(i => i.Slot)
                .Select(i => new DnsMember(i.Name, i.Address)).ToList();
        }
        return members;
    }
}
