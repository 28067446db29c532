using FluentAssertions;
using Pipeline.Definitions;
using Xunit;

namespace Pipeline.Tests.Definitions;

/// <summary>What every definition file shares (DefinitionFile, DefinitionNode): bad input is one line at the fault itself.</summary>
public class DefinitionInputTests
{
    private static DefinitionNode Parse(string yaml) => DefinitionFile.Parse(yaml, "environments/x.yml", _ => null);

    [Theory]
    [InlineData("a: 99999999999999d\n", "environments/x.yml: a: '99999999999999d' is too long (at most 10675199 days) (line 1, column 4)")]
    [InlineData("a: 1e308d\n", "environments/x.yml: a: '1e308d' is not a duration*")]
    [InlineData("a:\n  b: 9999999999999999999999h\n", "environments/x.yml: a/b: '9999999999999999999999h' is too long*(line 2, column 6)")]
    [InlineData("a: -00:05:00\n", "environments/x.yml: a: '-00:05:00' is negative*")]
    public void A_duration_that_overflows_or_is_negative_is_an_error_not_a_crash(string yaml, string expected)
    {
        var root = Parse(yaml);
        var node = root.Optional("a")!;
        var leaf = node.IsMapping ? node.Required("b") : node;
        FluentActions.Invoking(() => leaf.Duration()).Should().Throw<DefinitionException>().WithMessage(expected);
    }

    [Theory]
    [InlineData("n: 99999999999\n", "environments/x.yml: n: must be at most 65535 (line 1, column 4)")]
    [InlineData("n: -99999999999\n", "environments/x.yml: n: must be at least 1 (line 1, column 4)")]
    [InlineData("n: 12x\n", "environments/x.yml: n: '12x' must be a whole number (line 1, column 4)")]
    public void A_number_that_overflows_says_its_range(string yaml, string expected) =>
        FluentActions.Invoking(() => Parse(yaml).Required("n").Int(1, 65535)).Should().Throw<DefinitionException>().WithMessage(expected);

    [Fact]
    public void An_unknown_key_points_at_the_key_not_at_its_block()
    {
        var root = Parse("lock:\n  ttl: 5m\n  directroy:\n    nested: value\n");
        FluentActions
            .Invoking(() => root.Required("lock").AllowOnly("ttl", "directory"))
            .Should()
            .Throw<DefinitionException>()
            .WithMessage(
                "environments/x.yml: lock/directroy: unknown key. Did you mean 'directory'? Allowed: ttl, directory (line 3, column 3)"
            );
    }

    [Fact]
    public void A_key_written_twice_is_named_at_its_second_place()
    {
        FluentActions
            .Invoking(() => Parse("lock:\n  ttl: 5m\ngroups: {}\nlock:\n  ttl: 6m\n"))
            .Should()
            .Throw<DefinitionException>()
            .WithMessage(
                "environments/x.yml: (top level): not valid YAML: 'lock' is written twice in the same mapping (keep one) (line 4, column 1)"
            );
    }

    [Fact]
    public void A_syntax_error_is_one_line_without_YamlDotNets_own_position_prefix()
    {
        var error = FluentActions.Invoking(() => Parse("a: [1, 2\nb: 3\n")).Should().Throw<DefinitionException>().Which;
        error.Message.Should().StartWith("environments/x.yml: (top level): not valid YAML: ").And.NotContain("Idx:").And.NotContain("\n");
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_refused_with_their_line_and_column()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-utf8-{Guid.NewGuid():N}.yml");
        // "é" as Latin-1 (0xE9) on line 3, after "  directory: /var/l" (19 characters).
        File.WriteAllBytes(path, [.. "lock:\n  ttl: 5m\n  directory: /var/l"u8, 0xE9, .. "ck\n"u8]);
        try
        {
            FluentActions.Invoking(() => DefinitionFile.Load(path, "environments/x.yml")).Should().Throw<DefinitionException>()
                .WithMessage("environments/x.yml: (top level): byte 0xE9 is not UTF-8 (save the file as UTF-8) (line 3, column 20)");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Valid_UTF8_and_a_byte_order_mark_still_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-utf8-{Guid.NewGuid():N}.yml");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "name: café ☕\n"u8]);
        try { DefinitionFile.Load(path, "x.yml").Required("name").String().Should().Be("café ☕"); }
        finally { File.Delete(path); }
    }
}
