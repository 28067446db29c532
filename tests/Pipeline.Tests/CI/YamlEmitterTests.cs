using FluentAssertions;
using Pipeline.CI;
using Xunit;

namespace Pipeline.Tests.CI;

public class YamlEmitterTests
{
    [Theory]
    [InlineData("plain text")]
    [InlineData("on")]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("")]
    [InlineData("017")]
    [InlineData("1.5")]
    [InlineData("a: b")]
    [InlineData("x #y")]
    [InlineData("* * * * *")]
    [InlineData("- dash")]
    [InlineData("it's")]
    [InlineData("${{ secrets.TOKEN }}")]
    [InlineData("'quoted'")]
    [InlineData(" padded ")]
    [InlineData("line one\nline two\n")]
    [InlineData("line one\nline two")]
    public void Every_scalar_reads_back_as_the_same_string(string value)
    {
        var yaml = YamlEmitter.Emit(new YamlMapping().Add("key", value).Add("list", YamlSequence.Of([value])));

        var parsed = WorkflowTestSupport.Parse(yaml);

        ((YamlDotNet.RepresentationModel.YamlScalarNode)parsed["key"]).Value.Should().Be(value);
        ((YamlDotNet.RepresentationModel.YamlScalarNode)parsed["list"][0]).Value.Should().Be(value);
    }

    [Fact]
    public void Mappings_keep_insertion_order_and_nest_in_sequences()
    {
        var yaml = YamlEmitter.Emit(
            new YamlMapping()
                .Add("b", "1x")
                .Add(
                    "a",
                    new YamlSequence([new YamlMapping().Add("name", "one").Add("with", new YamlMapping().Add("k", "v")), (YamlNode)"two"])
                )
                .Add("empty", new YamlMapping())
                .Add("flag", YamlLiteral.Of(false))
                .Add("skipped", (string?)null)
        );

        yaml.Should().Be("b: 1x\na:\n  - name: one\n    with:\n      k: v\n  - two\nempty: {}\nflag: false\n");
    }
}
