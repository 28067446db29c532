using FluentAssertions;
using Xunit;

namespace Heartbeat.Tests;

public class EnvironmentFileTests
{
    [Fact]
    public void Reads_key_value_lines_and_skips_comments_and_blank_lines()
    {
        var values = EnvironmentFile.Parse("# comment\n\nHEARTBEAT_PORT=9090\n  HEARTBEAT_INSTANCE = web-1 \n");

        values.Should().Equal(new Dictionary<string, string> { ["HEARTBEAT_PORT"] = "9090", ["HEARTBEAT_INSTANCE"] = "web-1" });
    }

    [Fact]
    public void Strips_matching_quotes_and_an_export_prefix()
    {
        var values = EnvironmentFile.Parse("export A=\"x y\"\nB='z'\nC=\"unbalanced'\n");

        values["A"].Should().Be("x y");
        values["B"].Should().Be("z");
        values["C"].Should().Be("\"unbalanced'");
    }

    [Fact]
    public void Ignores_lines_without_a_key()
    {
        EnvironmentFile.Parse("=value\nnot a setting\n").Should().BeEmpty();
    }
}
