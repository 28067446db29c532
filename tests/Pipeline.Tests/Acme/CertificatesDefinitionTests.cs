using FluentAssertions;
using Pipeline.Acme;
using Pipeline.Definitions;
using Pipeline.Tools.Acme;
using Xunit;

namespace Pipeline.Tests.Acme;

public sealed class CertificatesDefinitionTests
{
    private static CertificatesDefinition Load(string yaml) =>
        CertificatesDefinitionLoader.Load(DefinitionFile.Parse(yaml, "environments/test.yml", _ => null), "test");

    [Fact]
    public void The_local_environment_file_reads_into_three_sets_with_their_challenges()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var definition = CertificatesDefinitionLoader.Load(
            DefinitionFile.Load(Path.Combine(root, "environments/local.yml"), "environments/local.yml", _ => null),
            "local"
        );

        definition.Directory.Should().Be(new Uri("https://127.0.0.1:22000/dir"));
        definition.Sets.Select(s => s.Names.Count).Should().Equal(1, 5, 1);
        definition.Sets[0].Challenge.HttpPort.Should().Be(22002);
        definition.Sets[2].Challenge.Type.Should().Be(ChallengeType.Dns01);
        definition.BackupKey.Should().Be("acme/local/acme.json");
    }

    [Fact]
    public void Shortcuts_name_Lets_Encrypt_and_defaults_are_ECDSA_and_HTTP_01_on_port_80()
    {
        var d = Load("certificates:\n  directory: letsencrypt-staging\n  sets:\n    - names: [a.example.com]\n");
        d.Directory.Should().Be(CertificatesDefinition.LetsEncryptStaging);
        d.KeyType.Should().Be(KeyType.EcP256);
        d.Sets[0].Challenge.Should().BeEquivalentTo(new ChallengeDefinition(ChallengeType.Http01, 80, null, []));
        d.BackupKey.Should().Be("acme/test/acme.json");
    }

    [Theory]
    [InlineData(
        "certificates:\n  directory: letsencrypt\n  sets:\n    - names: ['*.example.com']\n",
        "certificates/sets/0/names: '*.example.com' is a wildcard: only dns-01"
    )]
    [InlineData(
        "certificates:\n  directory: letsencrypt\n  trust: ca.pem\n  sets: []\n",
        "certificates/trust: an extra trusted CA is only allowed for a loopback directory"
    )]
    [InlineData(
        "certificates:\n  directory: letsencrypt\n  key-typ: rsa-2048\n  sets: []\n",
        "certificates/key-typ: unknown key. Did you mean 'key-type'?"
    )]
    [InlineData(
        "certificates:\n  directory: http://ca.example/dir\n  sets: []\n",
        "certificates/directory: 'http://ca.example/dir' must be letsencrypt"
    )]
    [InlineData(
        "certificates:\n  directory: letsencrypt\n  challenge: { type: dns-01 }\n  sets: []\n",
        "certificates/challenge: dns-01 needs provider: <a provider of dns:> or dns-hook"
    )]
    [InlineData(
        "certificates:\n  directory: letsencrypt\n  sets:\n    - names: [a.example.com, A.example.com]\n",
        "certificates/sets/0/names: names repeat"
    )]
    public void Bad_sections_fail_with_the_key_path_and_a_hint(string yaml, string expected) =>
        FluentActions.Invoking(() => Load(yaml)).Should().Throw<DefinitionException>().Which.Message.Should().Contain(expected);

    [Fact]
    public void The_DNS_hook_gets_the_action_the_record_name_and_the_value_after_its_own_arguments()
    {
        var args = DnsHookSolver.Arguments(["hook.sh", "http://127.0.0.1:1"], "set", "*.example.com", "k.a");
        args.Should().Equal("http://127.0.0.1:1", "set", "_acme-challenge.example.com.", Jws.DnsTxtValue("k.a"));
    }

    [Fact]
    public async Task The_HTTP_01_responder_answers_known_tokens_with_their_key_authorization_only()
    {
        await using var responder = new Http01Responder(0);
        responder.Add("tok", "tok.thumb");
        responder.Answer("GET /.well-known/acme-challenge/tok HTTP/1.1").Should().Be((200, "tok.thumb"));
        responder.Answer("GET /.well-known/acme-challenge/other HTTP/1.1").Status.Should().Be(404);
        responder.Answer("POST /.well-known/acme-challenge/tok HTTP/1.1").Status.Should().Be(404);
    }
}
