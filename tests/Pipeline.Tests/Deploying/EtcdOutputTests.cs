using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Outputs;
using System.Text;
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
    public void A_put_carries_key_and_value_base64_encoded()
    {
        EtcdRequests.Put("/pipeline/local/web/web-1", "127.0.0.1:25101").ToString().Should()
            .Be("""POST /v3/kv/put {"key":"L3BpcGVsaW5lL2xvY2FsL3dlYi93ZWItMQ==","value":"MTI3LjAuMC4xOjI1MTAx"}""");
    }

    [Fact]
    public void A_prefix_is_read_as_the_range_up_to_its_last_byte_plus_one()
    {
        var request = EtcdRequests.KeysUnder("/pipeline/local/web/");
        request.Path.Should().Be("/v3/kv/range");
        Encoding
            .UTF8.GetString(Convert.FromBase64String(request.Body["range_end"]!.GetValue<string>()))
            .Should()
            .Be("/pipeline/local/web0");
        request.Body["keys_only"]!.GetValue<bool>().Should().BeTrue();
        EtcdRequests.RangeEnd("a\u00ff").Should().Equal((byte)'a', 0xc3, 0xc0);
    }

    [Fact]
    public void Sync_puts_every_member_and_deletes_only_the_keys_of_members_gone()
    {
        var requests = EtcdRequests.Sync(
            new Dictionary<string, string> { ["/p/e/web/web-2"] = "127.0.0.1:2", ["/p/e/web/web-1"] = "127.0.0.1:1" },
            ["/p/e/web/web-1", "/p/e/web/web-3"]);
        requests.Select(r => r.Path).Should().Equal("/v3/kv/put", "/v3/kv/put", "/v3/kv/deleterange");
        Encoding.UTF8.GetString(Convert.FromBase64String(requests[2].Body["key"]!.GetValue<string>())).Should().Be("/p/e/web/web-3");
    }

    [Fact]
    public void A_range_answer_is_parsed_into_keys_and_an_empty_one_into_none()
    {
        EtcdRequests
            .ParseKeys("""{"header":{"revision":"3"},"kvs":[{"key":"L3Avd2ViLTE=","create_revision":"2"}],"count":"1"}""")
            .Should()
            .Equal("/p/web-1");
        EtcdRequests.ParseKeys("""{"header":{"revision":"3"}}""").Should().BeEmpty();
    }

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
