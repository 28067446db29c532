using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Deploying.Definitions;
using Xunit;

namespace Pipeline.Tests.Deploying.BlueGreen;

public class BlueGreenDefinitionTests
{
    private const string Group = """
        groups:
          web:
            provider: docker
            image: heartbeat
            count: 2
            ports: {container: 8080, host_base: 25600}

        """;

    private static EnvironmentDeployment Parse(string extra) =>
        EnvironmentDeployment.Parse(Group + extra, "environments/staging.yml", "staging", _ => null);

    [Fact]
    public void A_blue_green_group_reads_keep_and_each_colours_address_and_keep_defaults_to_30_minutes()
    {
        var full = Parse("    blue_green: dns\n    keep: 10m\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}\n");
        full.Groups.Single().BlueGreen.Should().Be(new BlueGreenDefinition(TimeSpan.FromMinutes(10), "127.0.0.2", "127.0.0.3"));

        var defaulted = Parse("    blue_green: dns\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}\n");
        defaulted.Groups.Single().BlueGreen!.Keep.Should().Be(TimeSpan.FromMinutes(30));
        Parse("").Groups.Single().BlueGreen.Should().BeNull();
    }

    [Fact]
    public void A_colour_view_names_its_containers_and_instances_with_the_colour_and_publishes_on_its_address()
    {
        var group = Parse("    blue_green: dns\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}\n").Groups.Single();
        var green = group.InColour(Colour.Green);
        green.ContainerName(1).Should().Be("pipeline-staging-web-green-1");
        green.InstanceName(2).Should().Be("web-green-2");
        green.Ports.Bind.Should().Be("127.0.0.3");
        group.ContainerName(1).Should().Be("pipeline-staging-web-1");
    }

    private const string Haproxy = "    load_balancer: {haproxy: {socket: /run/haproxy/admin.sock, backend: web}}\n";

    [Fact]
    public void A_haproxy_blue_green_group_publishes_both_colours_on_its_bind_address_green_after_blue()
    {
        var group = Parse("    blue_green: haproxy\n    keep: 10m\n" + Haproxy).Groups.Single();
        group.BlueGreen!.Switch.Should().Be(BlueGreenSwitch.Haproxy);
        group.BlueGreen.Keep.Should().Be(TimeSpan.FromMinutes(10));
        var (blue, green) = (group.InColour(Colour.Blue), group.InColour(Colour.Green));
        (blue.Ports.HostPort(1), blue.Ports.HostPort(2), green.Ports.HostPort(1), green.Ports.HostPort(2))
            .Should().Be((25600, 25601, 25602, 25603));
        green.Ports.Bind.Should().Be("127.0.0.1");
        green.InstanceName(1).Should().Be("web-green-1");
        group.LoadBalancer!.ColourBackend(Colour.Green).Should().Be("web_green");
        Parse("    blue_green: dns\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}\n").Groups.Single()
            .BlueGreen!.Switch.Should().Be(BlueGreenSwitch.Dns);
    }

    [Theory]
    [InlineData("    blue_green: haproxy\n",
        "groups/web/blue_green: blue_green: haproxy switches the frontend between <backend>_blue and <backend>_green: add load_balancer")]
    [InlineData("    blue_green: haproxy\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}\n" + Haproxy,
        "groups/web/colours: only for blue_green: dns (with haproxy both colours publish on ports/bind, green's ports after blue's)")]
    [InlineData("    blue_green: haproxy\n    keep: 0s\n" + Haproxy, "groups/web/keep: must be longer than zero")]
    public void Bad_haproxy_blue_green_settings_are_refused_with_their_key_path(string extra, string message)
    {
        var act = () => Parse(extra);
        act.Should().Throw<DefinitionException>().WithMessage($"environments/staging.yml: {message}*");
    }

    [Theory]
    [InlineData("ports: {container: 8080}",
        "groups/web/blue_green: blue_green: haproxy needs ports/host_base (green's ports follow blue's)")]
    [InlineData("ports: {container: 8080, host_base: 65533}", "groups/web/ports/host_base: the two colours need 4 host ports from here")]
    public void A_haproxy_blue_green_group_needs_room_for_both_colours_ports(string ports, string message)
    {
        var text = Group.Replace("ports: {container: 8080, host_base: 25600}", ports) + "    blue_green: haproxy\n" + Haproxy;
        var act = () => EnvironmentDeployment.Parse(text, "environments/staging.yml", "staging", _ => null);
        act.Should().Throw<DefinitionException>().WithMessage($"environments/staging.yml: {message}*");
    }

    [Theory]
    [InlineData("    blue_green: lb\n", "groups/web/blue_green: 'lb' is not a blue/green mode: dns or haproxy (line 7")]
    [InlineData("    blue_green: dns\n", "groups/web: 'colours' is missing")]
    [InlineData("    blue_green: dns\n    colours: {blue: {address: 127.0.0.2}, green: {address: web}}\n",
        "groups/web/colours/green/address: 'web' must be an IP address (the dns: records point at it), e.g. 127.0.0.2 (line 8")]
    [InlineData("    blue_green: dns\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.2}}\n",
        "groups/web/colours/green/address: blue and green share 127.0.0.2: give each its own")]
    [InlineData("    blue_green: dns\n    keep: 0s\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}\n",
        "groups/web/keep: must be longer than zero")]
    [InlineData("    keep: 10m\n", "groups/web/keep: only for a blue/green group: add blue_green: dns or haproxy")]
    [InlineData("    blue_green: dns\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}\n    load_balancer: "
        + "{haproxy: {address: '127.0.0.1:1', backend: web}}\n",
        "groups/web/blue_green: a blue/green group is switched by DNS, not a load balancer: remove load_balancer")]
    public void Bad_blue_green_settings_are_refused_with_their_key_path(string extra, string message)
    {
        var act = () => Parse(extra);
        act.Should().Throw<DefinitionException>().WithMessage($"environments/staging.yml: {message}*");
    }

    private const string Dns = "    blue_green: dns\n    colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}\n";

    private static EnvironmentDeployment ParseSsh(string hosts) => EnvironmentDeployment.Parse(
        Group.Replace("provider: docker", $"provider: ssh\n    ssh: {{hosts: {hosts}, user: deploy, known_hosts: known_hosts}}") + Dns,
        "environments/staging.yml", "staging", _ => null);

    [Fact]
    public void An_ssh_group_can_be_blue_green_by_dns_each_colour_publishing_on_its_address_of_the_one_host()
    {
        var group = ParseSsh("[10.0.0.5]").Groups.Single();
        group.Provider.Should().Be(ProviderKind.Ssh);
        group.BlueGreen.Should().Be(new BlueGreenDefinition(BlueGreenDefinition.DefaultKeep, "127.0.0.2", "127.0.0.3"));
        var (blue, green) = (group.InColour(Colour.Blue), group.InColour(Colour.Green));
        (blue.Ports.Bind, green.Ports.Bind).Should().Be(("127.0.0.2", "127.0.0.3"));
        (blue.Ports.HostPort(2), green.Ports.HostPort(2)).Should().Be((25601, 25601), "each colour has its own address");
        green.ContainerName(1).Should().Be("pipeline-staging-web-green-1");
    }

    [Fact]
    public void An_ssh_group_blue_green_by_dns_on_more_than_one_host_is_refused_naming_ssh_hosts()
    {
        var act = () => ParseSsh("[10.0.0.5, 10.0.0.6]");
        act.Should().Throw<DefinitionException>().WithMessage("environments/staging.yml: groups/web/ssh/hosts: blue/green by DNS takes "
            + "one ssh host (each colour's address is an address of that host), not 2: list one, or use blue_green: haproxy (line *");
    }
}
