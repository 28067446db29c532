using FluentAssertions;
using Pipeline.Deploying.Haproxy;
using Pipeline.Tools.Haproxy;
using Xunit;

namespace Pipeline.Tests.Tools.Haproxy;

/// <summary>The map commands and answers of a blue/green switch on HAProxy, as HAProxy 2.6 reads and writes them, and the local
/// HAProxy's configuration with a colour map.</summary>
public sealed class ColourMapTextTests
{
    [Fact]
    public void A_switch_is_one_set_map_of_the_groups_entry_and_a_map_is_named_by_its_file_or_id()
    {
        HaproxyCommands.SetMap("/etc/haproxy/colours.map", "web", "web_green").Should()
            .Be("set map /etc/haproxy/colours.map web web_green");
        HaproxyCommands.SetMap("#2", "web", "web_blue").Should().Be("set map #2 web web_blue");
        HaproxyCommands.ShowMap().Should().Be("show map");
        HaproxyCommands.ShowMap("/etc/haproxy/colours.map").Should().Be("show map /etc/haproxy/colours.map");
        FluentActions.Invoking(() => HaproxyCommands.SetMap("/etc/colours.map\nshutdown", "web", "web_blue"))
            .Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => HaproxyCommands.SetMap("/etc/colours.map", "web", "web_blue;x")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Show_map_lists_each_maps_file_and_its_entries()
    {
        const string list = """
            # id (file) description
            2 (/etc/haproxy/colours.map) pattern loaded from file '/etc/haproxy/colours.map' used by map at file 'h.cfg' line 10. curr_ver=0
            -1 () pattern loaded from ... curr_ver=0 next_ver=0 entry_cnt=0

            """;
        HaproxyMaps.ParseList(list).Should().Equal("/etc/haproxy/colours.map", "#-1");

        const string entries = "0x55789aa5f3a0 web web_green\n0x55789aa5f3b0 api api_blue\n\n";
        HaproxyMaps.ParseEntries("#2", entries).Should().Equal(
            new MapEntry("#2", "web", "web_green"), new MapEntry("#2", "api", "api_blue"));
        HaproxyMaps.ParseEntries("#2", "Unknown map identifier. Please use #<id> or <file>.\n").Should().BeEmpty();
    }

    [Fact]
    public void The_local_haproxy_with_colours_routes_through_the_map_to_blue_and_green_backends()
    {
        var options = new HaproxyService.Options("/tmp/x", 25080, 25099, ["web"]) { Colours = true };
        var config = HaproxyService.Config(options);
        config.Should().Contain("  use_backend %[str(web),map(/tmp/x/colours.map)]\n  default_backend web_blue\n")
            .And.Contain("backend web_blue\n").And.Contain("backend web_green\n").And.NotContain("backend web\n");
        HaproxyService.Config(options with { Colours = false }).Should().Contain("default_backend web\n").And.NotContain("map(");
    }
}
