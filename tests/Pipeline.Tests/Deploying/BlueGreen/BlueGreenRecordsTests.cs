using FluentAssertions;
using Pipeline.Definitions;
using Pipeline.Deploying.Definitions;
using Pipeline.Dns;
using Xunit;

namespace Pipeline.Tests.Deploying.BlueGreen;

public class BlueGreenRecordsTests
{
    private const string Groups = """
        groups:
          web:
            provider: docker
            image: heartbeat
            count: 1
            blue_green: dns
            colours: {blue: {address: 127.0.0.2}, green: {address: 127.0.0.3}}

        """;

    private static void Check(string dns)
    {
        var root = DefinitionFile.Parse(Groups + dns, "environments/staging.yml", _ => null);
        BlueGreenRecords.Check(root, EnvironmentDeployment.From(root, "staging").Groups);
    }

    [Fact]
    public void A_blue_green_group_with_its_own_records_entry_passes()
    {
        var act = () => Check("dns:\n  records:\n    web: {instances: true}\n");
        act.Should().NotThrow();
    }

    [Fact]
    public void A_blue_green_group_without_records_is_refused_at_its_blue_green_key()
    {
        var act = () => Check("");
        act.Should().Throw<DefinitionException>().WithMessage(
            "environments/staging.yml: groups/web/blue_green: blue_green: dns switches the group's dns: records: add dns/records/web: {} "
            + "(line 6, column 17)");
    }

    [Fact]
    public void A_fixed_address_under_the_groups_records_is_refused_with_its_key_path()
    {
        var act = () => Check("dns:\n  records:\n    web: {address: 10.0.0.4}\n");
        act.Should().Throw<DefinitionException>().WithMessage(
            "environments/staging.yml: dns/records/web/address: a blue/green group's name follows its live colour's address: remove it*");
    }
}
