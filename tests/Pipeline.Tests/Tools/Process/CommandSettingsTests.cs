using CliWrap;
using FluentAssertions;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.Tests.Tools.Process;

public class CommandSettingsTests
{
    [Fact]
    public void Environment_variables_add_up_instead_of_replacing_each_other()
    {
        var original = Cli.Wrap("git");

        var changed = original.WithEnvironment("A", "1").WithEnvironment("B", null).WithEnvironment("A", "2").WithEnvironment("C", "3");

        original.EnvironmentVariables.Should().BeEmpty();
        changed.EnvironmentVariables.Should().BeEquivalentTo(new Dictionary<string, string?> { ["A"] = "2", ["B"] = null, ["C"] = "3" });
    }

    [Fact]
    public async Task A_null_input_leaves_the_input_already_set()
    {
        var result = await DummyExe
            .Wrap("cat")
            .WithStandardInput("kept\n")
            .WithStandardInputFile(null)
            .WithStandardInput(null)
            .RunBufferedAsync();

        result.StandardOutput.Should().Be("kept\n");
    }

    [Fact]
    public void A_raw_argument_string_is_not_what_the_layer_builds_on()
    {
        // WithArguments(string) is banned (BannedSymbols.txt); a list keeps each argument whole, spaces and quotes included.
        var command = Cli.Wrap("git").WithArguments(["commit", "-m", "it's done", "--author=A B"]);

        command.Arguments.Should().Be("commit -m \"it's done\" \"--author=A B\"");
    }

    [Fact]
    public async Task A_non_positive_timeout_is_refused_before_anything_starts()
    {
        var act = () => DummyExe.Wrap("echo", "never").RunAsync(TimeSpan.Zero);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }
}
