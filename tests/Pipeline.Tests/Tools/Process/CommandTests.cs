using FluentAssertions;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.Tests.Tools.Process;

public class CommandTests
{
    [Fact]
    public void Fluent_helpers_return_new_commands_and_leave_the_original_unchanged()
    {
        var original = Cli.Wrap("git");

        var changed = original
            .WithArguments("log", "-1")
            .WithWorkingDirectory("/tmp")
            .WithEnvironment("A", "1")
            .WithEnvironment("B", null)
            .WithStandardInput("input")
            .WithValidation(CommandValidation.None)
            .WithTimeout(TimeSpan.FromSeconds(3));

        original.Arguments.Should().BeEmpty();
        original.WorkingDirectory.Should().BeNull();
        original.Environment.Should().BeEmpty();
        original.Validation.Should().Be(CommandValidation.ZeroExitCode);
        original.Timeout.Should().BeNull();

        changed.TargetFile.Should().Be("git");
        changed.Arguments.Should().Equal("log", "-1");
        changed.WorkingDirectory.Should().Be("/tmp");
        changed.Environment.Should().Contain("A", "1").And.Contain("B", null);
        changed.StandardInput.Should().Be("input");
        changed.Validation.Should().Be(CommandValidation.None);
        changed.Timeout.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void With_arguments_accepts_any_sequence_and_replaces_previous_arguments()
    {
        var command = Cli.Wrap("git").WithArguments("old").WithArguments(new List<string> { "new", "args" });

        command.Arguments.Should().Equal("new", "args");
    }

    [Fact]
    public void ToString_quotes_like_a_shell_for_display()
    {
        var command = Cli.Wrap("git").WithArguments("commit", "-m", "it's done", "", "--author=A B", "a/b.txt", "$HOME");

        command.ToString().Should().Be(@"git commit -m 'it'\''s done' '' '--author=A B' a/b.txt '$HOME'");
    }

    [Fact]
    public void Invalid_settings_are_rejected_when_built()
    {
        FluentActions.Invoking(() => Cli.Wrap(" ")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Cli.Wrap("git").WithTimeout(TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Cli.Wrap("git").WithArguments("a", null!)).Should().Throw<ArgumentException>();
    }
}
