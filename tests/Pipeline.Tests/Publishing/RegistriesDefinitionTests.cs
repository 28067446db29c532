using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Publishing;
using Xunit;

namespace Pipeline.Tests.Publishing;

public sealed class RegistriesDefinitionTests
{
    private static IReadOnlyList<RegistryDefinition> Read(string yaml) =>
        RegistriesDefinition.Read(DefinitionFile.Parse(yaml, "environments/test.yml", _ => null));

    [Fact]
    public void A_registry_reads_address_namespace_tls_and_the_names_of_its_secret_parameters()
    {
        var registries = Read("""
            registries:
              ghcr:
                address: ghcr.io
                namespace: acme/pipeline
                credentials:
                  username: GhcrUser
                  password: GhcrToken
            """);

        var ghcr = registries.Should().ContainSingle().Subject;
        ghcr.Endpoint.Tls.Should().BeTrue();
        ghcr.RepositoryReference("heartbeat").Should().Be("ghcr.io/acme/pipeline/heartbeat");
        ghcr.UsernameParameter.Should().Be("GhcrUser");
        ghcr.PasswordParameter.Should().Be("GhcrToken");
        ghcr.Source.Should().Be("environments/test.yml: registries/ghcr");
    }

    [Fact]
    public void No_registries_section_means_no_registry() =>
        Read("s3:\n  bucket: x\n").Should().BeEmpty();

    [Fact]
    public void Plain_http_to_a_loopback_address_is_allowed() =>
        Read("registries:\n  local:\n    address: 127.0.0.1:21500\n    tls: false\n")
            .Single()
            .Endpoint.BaseUri.ToString()
            .Should()
            .Be("http://127.0.0.1:21500/");

    [Fact]
    public void Plain_http_to_another_address_is_refused_with_its_key_path()
    {
        var act = () => Read("registries:\n  lan:\n    address: 10.0.0.5:5000\n    tls: false\n");
        act.Should()
            .Throw<DefinitionException>()
            .Which.Message.Should()
            .StartWith("environments/test.yml: registries/lan/tls: plain HTTP is allowed only for loopback addresses")
            .And.Contain("10.0.0.5:5000");
    }

    [Fact]
    public void A_password_written_as_a_value_is_refused_without_echoing_it()
    {
        var act = () => Read("registries:\n  r:\n    address: r.example\n    credentials:\n      password: hunter2-secret!\n");
        var message = act.Should().Throw<DefinitionException>().Which.Message;
        message.Should().Contain("registries/r/credentials/password: must be the NAME of a build parameter");
        message.Should().NotContain("hunter2");
    }

    [Theory]
    [InlineData("registries:\n  r:\n    address: https://r.example\n", "registries/r/address")]
    [InlineData("registries:\n  r:\n    address: r.example\n    namespace: Acme\n", "registries/r/namespace")]
    [InlineData("registries:\n  r:\n    adress: r.example\n", "registries/r/adress: unknown key. Did you mean 'address'?")]
    [InlineData("registries:\n  r:\n    namespace: x\n", "registries/r: 'address' is missing")]
    public void Bad_entries_name_their_key_path(string yaml, string expected) =>
        FluentActions.Invoking(() => Read(yaml)).Should().Throw<DefinitionException>().Which.Message.Should().Contain(expected);

    [Fact]
    public void The_environment_files_define_their_registries()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Pipeline.sln"))) root = Path.GetDirectoryName(root)!;
        var local = RegistriesDefinition
            .Load(Path.Combine(root, "environments", "local.yml"), "environments/local.yml", _ => null)
            .Single();
        local.Address.Should().Be("127.0.0.1:21500");
        local.PasswordParameter.Should().Be("RegistryPassword");
        RegistriesDefinition
            .Load(Path.Combine(root, "environments", "staging.yml"), "environments/staging.yml", _ => null)
            .Single()
            .Endpoint.Tls.Should()
            .BeTrue();
        RegistriesDefinition
            .Load(Path.Combine(root, "environments", "production.yml"), "environments/production.yml", _ => null)
            .Single()
            .PasswordParameter.Should()
            .Be("EcrPassword");
    }
}
