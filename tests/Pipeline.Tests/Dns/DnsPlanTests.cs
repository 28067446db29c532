using FluentAssertions;
using Pipeline.Dns;
using Pipeline.Engine;
using Pipeline.Tools.Dns;
using Xunit;

namespace Pipeline.Tests.Dns;

public sealed class DnsPlanTests
{
    private static readonly DnsProviderDefinition Bind =
        new Rfc2136ProviderDefinition("bind", new DnsServer("127.0.0.1", 53), "k", "hmac-sha256");

    private static DnsDefinition Definition(params DnsGroupRecords[] records) =>
        new("staging.example.com", 60, "staging", Bind, new Dictionary<string, DnsProviderDefinition> { ["bind"] = Bind }, records);

    private static readonly DnsDefinition WebWithInstances = Definition(new DnsGroupRecords("web", "web", null, null, true));

    private static Dictionary<string, IReadOnlyList<DnsMember>> Members(params string[] addresses) => new()
    {
        ["web"] = addresses.Select((a, i) => new DnsMember($"web-{i + 1}", a)).ToList(),
    };

    private static DnsRecordSet A(string name, params string[] values) => DnsRecordSet.Of(name, DnsRecordType.A, 60, values);

    private static DnsRecordSet Marker(string name, params string[] values) =>
        DnsRecordSet.Of($"_pipeline.{name}", DnsRecordType.TXT, 60, values);

    private static ObservedName Empty(string name) => new(name, [], Marker(name));

    private static ObservedName Owned(string name, DnsRecordSet record, params string[] extraMarker) =>
        new(name, [record], Marker(name, ["heritage=pipeline,owner=staging", .. extraMarker]));

    private static DnsPlan Plan(DnsDefinition d, IReadOnlyDictionary<string, IReadOnlyList<DnsMember>> members,
        IEnumerable<ObservedName> observed, params string[] gone)
    {
        var wanted = DesiredRecords.For(d, members);
        var all = observed.ToDictionary(o => o.Name);
        foreach (var name in wanted.Select(w => w.Name).Concat(gone)) all.TryAdd(name, Empty(name));
        return DnsPlan.Make(d.Zone, d.Owner, wanted, all, gone);
    }

    [Fact]
    public void An_empty_zone_gets_the_groups_name_each_instance_and_their_ownership_markers()
    {
        var plan = Plan(WebWithInstances, Members("10.0.0.4:8080", "10.0.0.5:8080"), []);

        plan.Lines().Should().Equal(
            "+ A web.staging.example.com 10.0.0.4,10.0.0.5",
            "+ TXT _pipeline.web.staging.example.com "
                + "heritage=pipeline,owner=staging,records=web-1.staging.example.com,web-2.staging.example.com",
            "+ A web-1.staging.example.com 10.0.0.4",
            "+ TXT _pipeline.web-1.staging.example.com heritage=pipeline,owner=staging",
            "+ A web-2.staging.example.com 10.0.0.5",
            "+ TXT _pipeline.web-2.staging.example.com heritage=pipeline,owner=staging");
    }

    [Fact]
    public void An_owned_record_whose_address_moved_is_changed_in_place()
    {
        var d = Definition(new DnsGroupRecords("web", "web", "10.0.0.9", null, false));
        var plan = Plan(d, Members("10.0.0.4:8080"), [Owned("web.staging.example.com", A("web.staging.example.com", "10.0.0.4"))]);

        plan.Lines().Should().Equal("~ A web.staging.example.com 10.0.0.4 → 10.0.0.9");
    }

    [Fact]
    public void Nothing_changes_when_the_zone_already_holds_what_is_wanted()
    {
        var d = Definition(new DnsGroupRecords("web", "web", "10.0.0.9", null, false));
        var plan = Plan(d, Members(), [Owned("web.staging.example.com", A("web.staging.example.com", "10.0.0.9"))]);

        plan.HasChanges.Should().BeFalse();
        plan.Summary().Should().Be("DNS staging.example.com: no changes");
    }

    [Fact]
    public void A_record_without_the_marker_is_refused_naming_the_marker_expected_and_not_changed()
    {
        var d = Definition(new DnsGroupRecords("web", "web", "10.0.0.9", null, false));
        var foreign = new ObservedName("web.staging.example.com", [A("web.staging.example.com", "192.0.2.1")],
            Marker("web.staging.example.com"));

        var plan = Plan(d, Members(), [foreign]);

        plan.Changes.Should().BeEmpty();
        plan.Refusals.Should().ContainSingle().Which.Should().Be(
            "A web.staging.example.com 192.0.2.1 is not Pipeline's: expected the ownership marker TXT "
            + "_pipeline.web.staging.example.com \"heritage=pipeline,owner=staging\"; left untouched (delete the record, or add "
            + "that marker to hand it over)");
    }

    [Fact]
    public void A_name_another_environment_owns_is_refused()
    {
        var d = Definition(new DnsGroupRecords("web", "web", "10.0.0.9", null, false));
        var theirs = new ObservedName("web.staging.example.com", [A("web.staging.example.com", "10.0.0.1")],
            Marker("web.staging.example.com", "heritage=pipeline,owner=production"));

        Plan(d, Members(), [theirs]).Refusals.Should().ContainSingle().Which.Should().Contain("for 'production', not 'staging'");
    }

    [Fact]
    public void A_member_gone_loses_its_record_and_marker_when_they_are_ours()
    {
        const string gone = "web-3.staging.example.com";
        var observed = Owned(gone, A(gone, "10.0.0.6"));

        var plan = Plan(WebWithInstances, Members("10.0.0.4:8080"), [observed], gone);

        plan.Lines().Should().Contain(["- A web-3.staging.example.com 10.0.0.6",
            "- TXT _pipeline.web-3.staging.example.com heritage=pipeline,owner=staging"]);
        plan.Changes.Single(c => c.Set.Name == gone && c.Set.Type == DnsRecordType.A).Replacement.Values.Should().BeEmpty();
    }

    [Fact]
    public void A_listed_name_that_is_no_longer_ours_is_left_alone()
    {
        const string gone = "web-3.staging.example.com";
        var handedOver = new ObservedName(gone, [A(gone, "10.0.0.6")], Marker(gone));

        var plan = Plan(WebWithInstances, Members("10.0.0.4:8080"), [handedOver], gone);

        plan.Changes.Should().NotContain(c => c.Set.Name == gone);
        plan.Refusals.Should().BeEmpty();
    }

    [Fact]
    public void Hosts_that_are_names_become_a_CNAME_and_several_host_names_are_refused()
    {
        var one = DesiredRecords.For(Definition(new DnsGroupRecords("web", "web", null, null, false)), Members("host-a.internal:22"));
        one.Single().Records.Should().BeEquivalentTo(
            new[] { DnsRecordSet.Of("web.staging.example.com", DnsRecordType.CNAME, 60, ["host-a.internal"]) });

        var act = () => DesiredRecords.For(Definition(new DnsGroupRecords("web", "web", null, null, false)),
            Members("host-a.internal:22", "host-b.internal:22"));
        act.Should().Throw<PipelineException>().Which.Message.Should().Contain("give the group's load balancer as address: or cname:");
    }

    [Fact]
    public void IPv6_members_get_AAAA_records()
    {
        var names = DesiredRecords.For(Definition(new DnsGroupRecords("web", "web", null, null, false)), Members("[2001:db8::5]:8080"));

        names.Single().Records.Should().BeEquivalentTo(
            new[] { DnsRecordSet.Of("web.staging.example.com", DnsRecordType.AAAA, 60, ["2001:db8::5"]) });
    }
}
