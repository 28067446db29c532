using FluentAssertions;
using Pipeline.Tools.Etcd;
using System.Text;
using Xunit;

namespace Pipeline.Tests.Tools.Etcd;

public sealed class EtcdRequestsTests
{
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
}
