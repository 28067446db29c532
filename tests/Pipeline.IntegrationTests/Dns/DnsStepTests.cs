using FluentAssertions;
using Pipeline.IntegrationTests.Deploying;
using Pipeline.Tools.Dns;
using Xunit;

namespace Pipeline.IntegrationTests.Dns;

/// <summary>
/// The Dns step as a user runs it (the build as a process) after a real deploy (Docker, HAProxy), against a real BIND 9 that
/// the test starts on a free loopback port with a TSIG key; <c>dig</c> reads the zone. Deploy ports 25460–25469.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class DnsStepTests(DeployFixture fixture) : IAsyncLifetime
{
    private const string Zone = "dns.test";
    private const string ForeignZone = "foreign.test";
    private const string DynamicZone = "dyn.test";
    private BindServer _bind = null!;

    private const string Policy = """
              batch: 1
              min_healthy_percent: 50
              drain_timeout: 5s
              stop_timeout: 5s
        """;

    public async Task InitializeAsync() => _bind = await BindServer.StartAsync(Zone, ForeignZone, DynamicZone);

    /// <summary>A dns: section after the group's outputs (the test environment's last lines), for <paramref name="zone"/>.</summary>
    private string Section(string zone, string address) => _bind.DnsSection(zone, 30, $"web: {{address: {address}, instances: true}}");

    private string[] Secret => ["--dns-tsig-secret", _bind.Key.Secret];

    [Fact]
    public async Task Deploy_and_Dns_create_the_groups_records_a_changed_address_updates_them_and_a_second_run_changes_nothing()
    {
        await using var env = new TestEnvironment(fixture, "test-dns", 25460, 2, Policy, Section(Zone, "10.0.0.4"));
        await env.StartAsync();
        env.Publish(fixture.V1);

        var deploy = await env.RunAsync(["Deploy", "Dns", .. Secret]);

        deploy.ExitCode.Should().Be(0, TestEnvironment.Output(deploy));
        TestEnvironment.Output(deploy).Should().Contain("+ A web.dns.test 10.0.0.4").And.NotContain(_bind.Key.Secret);
        (await _bind.DigAsync("web.dns.test", "A")).Should().Equal("10.0.0.4");
        (await _bind.DigAsync("web-1.dns.test", "A")).Should().Equal("127.0.0.1");
        (await _bind.DigAsync("web-2.dns.test", "A")).Should().Equal("127.0.0.1");
        (await _bind.DigAsync("_pipeline.web-1.dns.test", "TXT")).Should().Equal("\"heritage=pipeline,owner=test-dns\"");

        var file = Path.Combine(env.Root, "environments", "test-dns.yml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("10.0.0.4", "10.0.0.9", StringComparison.Ordinal));
        var plan = await env.RunAsync("Plan", "--detailed-exitcode");
        plan.ExitCode.Should().Be(3, TestEnvironment.Output(plan));
        TestEnvironment.Output(plan).Should().Contain("~ A web.dns.test 10.0.0.4 → 10.0.0.9").And.Contain("DNS dns.test: 1 change(s)");

        var update = await env.RunAsync(["Dns", .. Secret]);
        update.ExitCode.Should().Be(0, TestEnvironment.Output(update));
        (await _bind.DigAsync("web.dns.test", "A")).Should().Equal("10.0.0.9");
        TestEnvironment.Output(update).Should().Contain("every authoritative server (127.0.0.1:");

        var again = await env.RunAsync(["Dns", .. Secret]);
        again.ExitCode.Should().Be(0, TestEnvironment.Output(again));
        TestEnvironment.Output(again).Should().Contain("DNS dns.test: no changes").And.NotContain("change(s) applied");
        var empty = await env.RunAsync("Plan", "--detailed-exitcode");
        empty.ExitCode.Should().Be(0, TestEnvironment.Output(empty));
        TestEnvironment.Output(empty).Should().Contain("DNS dns.test: no changes");
    }

    [Fact]
    public async Task A_record_Pipeline_does_not_own_is_left_untouched_and_the_refusal_names_the_marker_it_expected()
    {
        await new Rfc2136Client(_bind.Server, _bind.Key)
            .UpdateAsync(ForeignZone, [DnsRecordSet.Of("web.foreign.test", DnsRecordType.A, 300, ["192.0.2.1"])], default);
        await using var env = new TestEnvironment(fixture, "test-dns-foreign", 25465, 1, Policy, Section(ForeignZone, "10.0.0.4"));

        var run = await env.RunAsync(["Dns", .. Secret]);

        run.ExitCode.Should().Be(1, TestEnvironment.Output(run));
        TestEnvironment.Output(run).Should().Contain(
            "A web.foreign.test 192.0.2.1 is not Pipeline's: expected the ownership marker TXT _pipeline.web.foreign.test "
            + "\"heritage=pipeline,owner=test-dns-foreign\"");
        (await _bind.DigAsync("web.foreign.test", "A")).Should().Equal("192.0.2.1");
        (await _bind.DigAsync("_pipeline.web.foreign.test", "TXT")).Should().BeEmpty();
    }

    [Fact]
    public async Task DynamicDns_updates_the_hosts_record_when_its_address_changed_and_does_nothing_when_it_did_not()
    {
        await using var env = new TestEnvironment(fixture, "test-dns-dynamic", 25467, 1, Policy, Section(DynamicZone, "10.0.0.4"));
        string[] Run(string address) => ["DynamicDns", "--dynamic-name", "home", "--dynamic-address", address, .. Secret];

        var first = await env.RunAsync(Run("198.51.100.7"));
        first.ExitCode.Should().Be(0, TestEnvironment.Output(first));
        (await _bind.DigAsync("home.dyn.test", "A")).Should().Equal("198.51.100.7");

        var same = await env.RunAsync(Run("198.51.100.7"));
        same.ExitCode.Should().Be(0, TestEnvironment.Output(same));
        TestEnvironment.Output(same).Should().Contain("DNS dyn.test: no changes").And.NotContain("change(s) applied");

        var moved = await env.RunAsync(Run("198.51.100.8"));
        moved.ExitCode.Should().Be(0, TestEnvironment.Output(moved));
        TestEnvironment.Output(moved).Should().Contain("~ A home.dyn.test 198.51.100.7 → 198.51.100.8");
        (await _bind.DigAsync("home.dyn.test", "A")).Should().Equal("198.51.100.8");
        (await _bind.DigAsync("web.dyn.test", "A")).Should().BeEmpty("DynamicDns writes only the host's name");
    }

    public async Task DisposeAsync() => await _bind.DisposeAsync();
}
