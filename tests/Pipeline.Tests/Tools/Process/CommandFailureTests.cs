using CliWrap;
using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.Tests.Tools.Process;

public class CommandFailureTests
{
    [Fact]
    public async Task Nonzero_exit_throws_with_command_directory_exit_code_and_stderr_tail()
    {
        var directory = Path.GetTempPath().TrimEnd('/');
        var command = DummyExe.Wrap("fail", "7", "30").WithWorkingDirectory(directory);

        var thrown = await FluentActions.Invoking(() => command.RunAsync()).Should().ThrowAsync<CommandException>();

        var exception = thrown.Which;
        exception.Should().BeAssignableTo<PipelineException>();
        exception.ExitCode.Should().Be(7);
        ((PipelineException)exception).ExitCode.Should().Be(ExitCodes.Failure, "Pipeline's own exit code is unchanged");
        exception.Command.Should().Be(command);
        exception.StandardErrorTail.Split('\n').Should().Equal(Enumerable.Range(11, 20).Select(i => $"error line {i}"));
        exception.Message.Should().Contain("exited with code 7")
            .And.Contain(command.ToString())
            .And.Contain($"Working directory: {directory}")
            .And.Contain("error line 30")
            .And.Contain("error line 11")
            .And.NotContain("error line 10\n");
    }

    [Fact]
    public async Task Nonzero_exit_without_stderr_says_so()
    {
        var thrown = await FluentActions
            .Invoking(() => DummyExe.Wrap("exit", "2").RunBufferedAsync())
            .Should()
            .ThrowAsync<CommandException>();

        thrown.Which.ExitCode.Should().Be(2);
        thrown.Which.StandardErrorTail.Should().BeEmpty();
        thrown.Which.Message.Should().Contain("Standard error: (empty)");
    }

    [Fact]
    public async Task Missing_executable_gives_a_clear_error()
    {
        var command = Cli.Wrap("pipeline-no-such-tool-4711").WithArguments(["--version"]);

        var thrown = await FluentActions.Invoking(() => command.RunAsync()).Should().ThrowAsync<CommandException>();

        thrown.Which.Message.Should().Contain("'pipeline-no-such-tool-4711' was not found on PATH");
        thrown.Which.ExitCode.Should().BeNull();
    }

    [Fact]
    public async Task Missing_executable_path_says_it_does_not_exist()
    {
        var thrown = await FluentActions
            .Invoking(() => Cli.Wrap("/nonexistent/bin/tool").RunAsync())
            .Should()
            .ThrowAsync<CommandException>();

        thrown.Which.Message.Should().Contain("'/nonexistent/bin/tool' does not exist");
    }

    [Fact]
    public async Task Missing_working_directory_gives_a_clear_error()
    {
        var thrown = await FluentActions.Invoking(() => DummyExe.Wrap("pwd").WithWorkingDirectory("/nonexistent/dir").RunAsync())
            .Should().ThrowAsync<CommandException>();

        thrown.Which.Message.Should().Contain("working directory '/nonexistent/dir' does not exist");
    }
}
