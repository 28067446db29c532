using FluentAssertions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Tools.Haproxy;
using Xunit;

namespace Pipeline.Tests.Tools.Haproxy;

/// <summary>HAProxy's request log lines in Pipeline's format, the weight commands, and the config lines that send the log.</summary>
public sealed class RequestLogTests
{
    [Theory]
    [InlineData("pipeline-request web web-canary-1 200 12 13")]
    [InlineData("<134>Dec  6 03:10:00 haproxy[4242]: pipeline-request web web-canary-1 200 12 13\n")]
    [InlineData("<134>1 2026-12-06T03:10:00.123456+00:00 host haproxy 4242 - - pipeline-request web web-canary-1 200 12 13")]
    public void A_line_is_read_raw_or_behind_a_syslog_header(string datagram) =>
        HaproxyRequestLog.Parse(datagram).Should().Be(new HaproxyRequestLog("web", "web-canary-1", 200, 12, 13));

    [Fact]
    public void A_request_without_a_response_keeps_its_minus_ones()
    {
        var line = HaproxyRequestLog.Parse("pipeline-request web <NOSRV> 503 -1 0");

        line.Should().Be(new HaproxyRequestLog("web", "<NOSRV>", 503, -1, 0));
    }

    [Theory]
    [InlineData("<134>Dec  6 03:10:00 haproxy[4242]: Proxy web started.")]
    [InlineData("pipeline-request web web-1 200")]
    [InlineData("pipeline-request web web-1 abc 1 2")]
    public void Other_lines_and_torn_ones_are_skipped(string datagram) => HaproxyRequestLog.Parse(datagram).Should().BeNull();

    [Fact]
    public void Weights_are_set_by_command_and_read_from_show_stat()
    {
        HaproxyCommands.SetWeight("web", "web-canary-1", 13).Should().Be("set weight web/web-canary-1 13");
        FluentActions.Invoking(() => HaproxyCommands.SetWeight("web", "web-1", 257)).Should().Throw<ArgumentOutOfRangeException>();
        const string stat = """
            # pxname,svname,status,weight,uweight,scur
            web,web-1,UP,1,1,0
            web,web-canary-1,UP,0,13,0
            web,BACKEND,UP,14,14,0
            api,api-1,UP,5,5,0
            """;

        HaproxyWeights.Parse(stat, "web").Should().BeEquivalentTo(new Dictionary<string, int> { ["web-1"] = 1, ["web-canary-1"] = 13 });
    }

    [Fact]
    public void The_local_haproxy_logs_requests_to_the_target_in_pipelines_format_only_when_asked()
    {
        var options = new HaproxyService.Options("/tmp/x", 25080, 25099, ["web"]);

        HaproxyService.Config(options).Should().NotContain("log");
        HaproxyService.Config(options with { LogTarget = "127.0.0.1:25514" }).Should()
            .Contain("  log 127.0.0.1:25514 format raw local0\n  log-format \"pipeline-request %b %s %ST %Tr %Ta\"\n");
    }
}
