using FluentAssertions;
using Pipeline.Tools.Haproxy;
using Xunit;

namespace Pipeline.Tests.Tools.Haproxy;

/// <summary>The runtime API's wire text: commands as HAProxy reads them, and <c>show stat</c> CSV as it writes it.</summary>
public sealed class RuntimeApiTextTests
{
    [Fact]
    public void Commands_name_backend_and_server_and_a_dynamic_server_is_checked_like_the_group()
    {
        HaproxyCommands.SetState("web", "web-1", ServerAdminState.Drain).Should().Be("set server web/web-1 state drain");
        HaproxyCommands.AddServer("web", "web-1", "127.0.0.1:25101", "/heartbeat", TimeSpan.FromSeconds(2))
            .Should().Be("add server web/web-1 127.0.0.1:25101 check inter 2000ms rise 1 fall 2");
        HaproxyCommands
            .AddServer("web", "web-1", "127.0.0.1:25101", null, TimeSpan.FromSeconds(2))
            .Should()
            .Be("add server web/web-1 127.0.0.1:25101");
        HaproxyCommands.SetAddress("web", "web-1", "127.0.0.1:25102").Should().Be("set server web/web-1 addr 127.0.0.1 port 25102");
    }

    [Fact]
    public void A_name_or_address_that_could_smuggle_a_second_command_is_refused()
    {
        FluentActions.Invoking(() => HaproxyCommands.DelServer("web", "web-1; shutdown")).Should().Throw<ArgumentException>();
        FluentActions
            .Invoking(() => HaproxyCommands.AddServer("web", "web-1", "127.0.0.1:1\nshutdown", null, TimeSpan.Zero))
            .Should()
            .Throw<ArgumentException>();
    }

    [Fact]
    public void Show_stat_is_read_into_the_backends_servers_with_status_sessions_and_address()
    {
        const string csv = """
            # pxname,svname,qcur,scur,status,addr
            web_in,FRONTEND,,3,OPEN,
            web,web-1,0,2,UP,127.0.0.1:25101
            web,web-2,0,0,MAINT,127.0.0.1:25102
            web,web-3,0,1,DRAIN,127.0.0.1:25103
            web,BACKEND,0,3,UP,
            api,api-1,0,0,UP,127.0.0.1:26101
            """;

        var servers = ServerStatus.ParseStat(csv, "web");

        servers.Select(s => (s.Name, s.CurrentSessions, s.Address, s.IsServing)).Should().Equal(
            ("web-1", 2, "127.0.0.1:25101", true), ("web-2", 0, "127.0.0.1:25102", false), ("web-3", 1, "127.0.0.1:25103", false));
    }

    [Fact]
    public void An_answer_to_show_stat_without_its_header_is_an_error()
    {
        FluentActions.Invoking(() => ServerStatus.ParseStat("Unknown command", "web")).Should().Throw<Pipeline.Engine.PipelineException>();
    }
}
