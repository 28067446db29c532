using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Definitions;
using Xunit;

namespace Pipeline.Tests.Acme;

public sealed class Dns01ChallengeDefinitionTests
{
    private static CertificatesDefinition Load(string challenge, string setChallenge = "") =>
        CertificatesDefinitionLoader.Load(DefinitionFile.Parse(
            $"certificates:\n  directory: letsencrypt\n  challenge: {challenge}\n  sets:\n    - names: ['*.example.com']\n{setChallenge}",
            "environments/x.yml", _ => null), "x");

    [Fact]
    public void A_dns_01_challenge_through_a_provider_is_inherited_by_the_sets()
    {
        var d = Load("{ type: dns-01, provider: bind }");

        d.Sets[0].Challenge.DnsProvider.Should().Be("bind");
        d.Sets[0].Challenge.ToString().Should().Be("dns-01 via the dns: provider bind");
    }

    [Fact]
    public void The_hook_stays_the_fallback_when_no_provider_is_named()
    {
        var d = Load("{ type: dns-01, dns-hook: [scripts/hook.sh] }");

        d.Sets[0].Challenge.DnsProvider.Should().BeNull();
        d.Sets[0].Challenge.DnsHook.Should().Equal("scripts/hook.sh");
    }

    [Fact]
    public void A_dns_01_challenge_names_a_provider_or_a_hook()
    {
        var act = () => Load("{ type: dns-01 }");

        act.Should().Throw<DefinitionException>().Which.Message.Should().Contain("dns-01 needs provider: <a provider of dns:> or dns-hook");
    }

    [Fact]
    public void A_provider_on_an_http_01_challenge_is_refused()
    {
        var act = () => Load("{ type: dns-01, provider: bind }", "      challenge: { type: http-01, provider: bind }\n");

        act.Should().Throw<DefinitionException>().Which.Message.Should().Contain("provider: is for dns-01");
    }
}
