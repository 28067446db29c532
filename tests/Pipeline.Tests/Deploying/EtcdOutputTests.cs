using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Deploying.Definitions;
using Xunit;

namespace Pipeline.Tests.Deploying;

public class EtcdOutputTests
{
    private static EnvironmentDeployment Parse(string etcd) =>
        EnvironmentDeployment.Parse(
            $"groups:\n  web:\n    provider: docker\n    image: heartbeat\n    count: 1\n    outputs:\n      etcd: {etcd}\n",
            "environments/staging.yml",
            "staging",
            _ => null
        );

    [Fact]
    public void The_etcd_output_reads_endpoint_and_prefix()
    {
        var etcd = Parse("{ endpoint: 'http://127.0.0.1:24379', prefix: /svc }").Groups.Single().Outputs.Etcd!;
        etcd.GroupPrefix("staging", "web").Should().Be("/svc/staging/web/");
        Parse("{ endpoint: 'https://etcd.example.com:2379' }").Groups.Single().Outputs.Etcd!.Prefix.Should().Be("/pipeline");
    }

    [Theory]
    [InlineData(
        "{ endpoint: 'http://10.0.0.5:2379' }",
        "*groups/web/outputs/etcd/endpoint: plain http is only allowed to a loopback address, not 10.0.0.5*"
    )]
    [InlineData("{ endpoint: '127.0.0.1:2379' }", "*groups/web/outputs/etcd/endpoint: '127.0.0.1:2379' must be a URL*")]
    [InlineData(
        "{ endpoint: 'http://127.0.0.1:2379', prefix: pipeline/ }",
        "*groups/web/outputs/etcd/prefix: 'pipeline/' must start with '/'*"
    )]
    [InlineData("{ prefix: /p }", "*groups/web/outputs/etcd: 'endpoint' is missing*")]
    public void A_bad_etcd_output_is_rejected_with_its_key_path(string etcd, string message)
    {
        var act = () => Parse(etcd);
        act.Should().Throw<DefinitionException>().WithMessage(message);
    }
}
