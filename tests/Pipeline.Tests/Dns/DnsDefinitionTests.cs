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
        d.Provider.Should().Be(new Rfc2136ProviderDefinition("bind", new DnsServer("192.0.2.53", 53), "pipeline",
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
    [InlineData("type: rfc2136,", "type: gandi,", "dns/providers/bind/type: 'gandi' is not a DNS provider type: use one of rfc2136")]
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

    private const string Clouds = """
        dns:
          zone: example.com
          provider: cf
          providers:
            cf: {type: cloudflare}
            local-cf: {type: cloudflare, api: 'http://127.0.0.1:24001/client/v4/'}
            r53: {type: route53, hosted_zone: /hostedzone/Z0123456789ABCDEFGHIJ}
            local-r53: {type: route53, hosted_zone: Z1, endpoint: 'http://127.0.0.1:24002'}
        """;

    [Fact]
    public void Cloudflare_and_route53_providers_read_with_their_default_API_and_the_local_one_given()
    {
        var d = Load(Clouds);

        d.Provider.Should().Be(new CloudflareProviderDefinition("cf", new Uri("https://api.cloudflare.com/client/v4")));
        d.Providers["local-cf"].Should().Be(new CloudflareProviderDefinition("local-cf", new Uri("http://127.0.0.1:24001/client/v4")));
        d.Providers["r53"].Should().Be(
            new Route53ProviderDefinition("r53", "Z0123456789ABCDEFGHIJ", new Uri("https://route53.amazonaws.com")));
        d.Providers["local-r53"].Should().Be(new Route53ProviderDefinition("local-r53", "Z1", new Uri("http://127.0.0.1:24002")));
    }

    [Theory]
    [InlineData("cf: {type: cloudflare}", "cf: {type: cloudflare, token: abc}", "dns/providers/cf/token: unknown key")]
    [InlineData("cf: {type: cloudflare}", "cf: {type: cloudflare, api: 'ftp://x'}", "dns/providers/cf/api: 'ftp://x' must be an https://")]
    [InlineData("cf: {type: cloudflare}", "cf: {type: cloudflare, api: 'http://api.example.com'}",
        "dns/providers/cf/api: 'http://api.example.com' must be https://")]
    [InlineData("r53: {type: route53, hosted_zone: /hostedzone/Z0123456789ABCDEFGHIJ}", "r53: {type: route53}",
        "dns/providers/r53: 'hosted_zone' is missing")]
    [InlineData("hosted_zone: Z1,", "hosted_zone: 'my zone',", "dns/providers/local-r53/hosted_zone: 'my zone' is not a hosted zone id")]
    [InlineData("endpoint: 'http://127.0.0.1:24002'", "endpoint: 'http://10.0.0.1'",
        "dns/providers/local-r53/endpoint: 'http://10.0.0.1' must be https://")]
    [InlineData("cf: {type: cloudflare}", "cf: {type: route53, hosted_zone: Z1, secret_access_key: x}",
        "dns/providers/cf/secret_access_key: unknown key")]
    public void A_bad_cloud_provider_value_is_refused_naming_its_key_path_and_line(string from, string to, string expected)
    {
        var act = () => Load(Clouds.Replace(from, to, StringComparison.Ordinal));

        var error = act.Should().Throw<DefinitionException>().Which;
        error.Message.Should().Contain(expected);
        error.Message.Should().Contain("environments/test.yml").And.Contain("line");
    }
}
