using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Dns;
using Pipeline.Tools.Dns;
using Xunit;

namespace Pipeline.Tests.Dns;

public sealed class DnsDefinitionTests
{
    private const string Valid = """
        dns:
          zone: Staging.Example.com.
          ttl: 300
          provider: bind
          providers:
            bind: {type: rfc2136, server: '192.0.2.53', key: pipeline}
          records:
            web: {address: 203.0.113.10, instances: true}
            api: {name: '@', cname: lb.example.net}
        """;

    private static DnsDefinition Load(string yaml, params string[] groups) =>
        DnsDefinitionLoader.Load(DefinitionFile.Parse(yaml, "environments/test.yml", _ => null), "staging", groups);

    [Fact]
    public void A_section_reads_into_the_zone_its_provider_and_each_groups_records()
    {
        var d = Load(Valid, "web", "api");

        d.Zone.Should().Be("staging.example.com");
        d.Ttl.Should().Be(300);
        d.Owner.Should().Be("staging");
        d.Provider.Should().Be(new DnsProviderDefinition("bind", DnsProviderKind.Rfc2136, new DnsServer("192.0.2.53", 53), "pipeline",
            "hmac-sha256"));
        d.Records.Should().Equal(
            new DnsGroupRecords("web", "web", "203.0.113.10", null, true),
            new DnsGroupRecords("api", "@", null, "lb.example.net", false));
        d.Qualify("@").Should().Be("staging.example.com");
        d.Qualify("web-3").Should().Be("web-3.staging.example.com");
    }

    [Theory]
    [InlineData("zone: Staging.Example.com.", "zone: 'bad zone!'", "dns/zone: 'bad zone!' is not a DNS name")]
    [InlineData("ttl: 300", "ttl: 0", "dns/ttl")]
    [InlineData("provider: bind", "provider: bnd", "dns/provider: 'bnd' is not one of providers: (bind)")]
    [InlineData("type: rfc2136,", "type: cloudflare,", "dns/providers/bind/type: 'cloudflare' is not available in this build")]
    [InlineData("server: '192.0.2.53'", "server: 'ns1.example.com'", "dns/providers/bind/server: 'ns1.example.com' must be an IP address")]
    [InlineData("key: pipeline}", "key: pipeline, algorithm: md5}", "dns/providers/bind/algorithm: 'md5' must be one of")]
    [InlineData("    web: {", "    wbe: {", "dns/records/wbe: 'wbe' is not a group of groups: (web, api)")]
    [InlineData("address: 203.0.113.10", "address: 203.0.113.300", "dns/records/web/address: '203.0.113.300' is not an IPv4 or IPv6")]
    [InlineData("instances: true}", "instances: true, cname: x.example.net}", "dns/records/web/cname: give either address or cname")]
    [InlineData("instances: true}", "instances: true, ttl: 5}", "dns/records/web")]
    public void A_bad_value_is_refused_naming_its_key_path_and_line(string from, string to, string expected)
    {
        var act = () => Load(Valid.Replace(from, to, StringComparison.Ordinal), "web", "api");

        var error = act.Should().Throw<DefinitionException>().Which;
        error.Message.Should().Contain(expected);
        error.Message.Should().Contain("environments/test.yml").And.Contain("line");
    }

    [Fact]
    public void The_TSIG_secret_is_not_a_key_of_the_file()
    {
        var act = () => Load(Valid.Replace("key: pipeline}", "key: pipeline, secret: c2VjcmV0}", StringComparison.Ordinal), "web", "api");

        act.Should().Throw<DefinitionException>().Which.Message.Should().Contain("dns/providers/bind").And.Contain("secret");
    }
}
