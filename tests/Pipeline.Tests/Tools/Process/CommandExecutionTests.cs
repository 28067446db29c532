using CliWrap;
using FluentAssertions;
using Pipeline.Tools.Process;
using System.Collections.Concurrent;
using Xunit;

namespace Pipeline.Tests.Tools.Process;

public class CommandExecutionTests
{
    [Fact]
    public async Task Successful_run_reports_exit_code_and_times()
    {
        var result = await DummyExe.Wrap("sleep", "100").RunAsync();

        result.ExitCode.Should().Be(0);
        result.IsSuccess.Should().BeTrue();
        result.RunTime.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100));
        result.ExitTime.Should().BeOnOrAfter(result.StartTime);
    }

    [Fact]
    public async Task Arguments_with_spaces_and_quotes_are_passed_verbatim()
    {
        string[] arguments = ["a b", "it's", "\"double\"", "", "$HOME", "*", "back\\slash", "semi;colon", "ünïcödé"];

        var result = await DummyExe.Wrap(["echo", .. arguments]).RunBufferedAsync();

        result.StandardOutput.Should().Be(string.Concat(arguments.Select(a => a + "\n")));
    }

    [Fact]
    public async Task Buffered_run_captures_stdout_and_stderr_separately()
    {
        var result = await DummyExe.Wrap("print-secret", "hunter2").WithValidation(CommandResultValidation.None).RunBufferedAsync();

        result.ExitCode.Should().Be(3);
        result.StandardOutput.Should().Be("hunter2\n");
        result.StandardError.Should().Be("hunter2\n");
    }

    [Fact]
    public async Task Nonzero_exit_is_returned_when_validation_is_none()
    {
        var result = await DummyExe.Wrap("exit", "5").WithValidation(CommandResultValidation.None).RunAsync();

        result.ExitCode.Should().Be(5);
        result.IsSuccess.Should().BeFalse();
    }

    [Fact]
    public async Task Environment_variables_are_set_and_removed()
    {
        const string inherited = "PIPELINE_PROCESS_TEST_INHERITED";
        Environment.SetEnvironmentVariable(inherited, "from-parent");

        var set = await DummyExe
            .Wrap("env", "PIPELINE_PROCESS_TEST_SET")
            .WithEnvironment("PIPELINE_PROCESS_TEST_SET", "hello world")
            .RunBufferedAsync();
        var kept = await DummyExe.Wrap("env", inherited).RunBufferedAsync();
        var removed = await DummyExe.Wrap("env", inherited).WithEnvironment(inherited, null)
            .WithValidation(CommandResultValidation.None).RunBufferedAsync();

        set.StandardOutput.Should().Be("hello world\n");
        kept.StandardOutput.Should().Be("from-parent\n");
        removed.ExitCode.Should().Be(1);
        removed.StandardError.Should().Contain($"{inherited} is not set");
    }

    [Fact]
    public async Task Stdin_is_piped()
    {
        var result = await DummyExe.Wrap("cat").WithStandardInput("hello\nwörld\n").RunBufferedAsync();

        result.StandardOutput.Should().Be("hello\nwörld\n");
    }

    [Fact]
    public async Task Stdin_is_closed_when_none_is_given()
    {
        var result = await DummyExe.Wrap("cat").RunBufferedAsync(TimeSpan.FromSeconds(30));

        result.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public async Task Large_stdin_and_stdout_together_do_not_deadlock()
    {
        var input = string.Concat(Enumerable.Range(1, 200_000).Select(i => $"input line {i}\n"));

        var result = await DummyExe.Wrap("cat").WithStandardInput(input).RunBufferedAsync(TimeSpan.FromSeconds(60));

        result.StandardOutput.Should().Be(input);
    }

    [Fact]
    public async Task Large_output_does_not_deadlock()
    {
        const int count = 300_000; // about 3.5 MB on each stream

        var result = await DummyExe.Wrap("lines", count.ToString(), "both").RunBufferedAsync(TimeSpan.FromSeconds(60));

        result.StandardOutput.Length.Should().BeGreaterThan(3_000_000);
        result.StandardOutput.Should().EndWith($"line {count}\n");
        result.StandardError.Should().Be(result.StandardOutput);
    }

    [Fact]
    public async Task Output_lines_are_streamed_in_order()
    {
        var stdout = new List<string>();
        var stderr = new List<string>();

        await DummyExe.Wrap("lines", "20000", "both")
            .WithStandardOutputPipe(ProcessText.Lines(stdout.Add))
            .WithStandardErrorPipe(ProcessText.Lines(stderr.Add))
            .RunAsync();

        var expected = Enumerable.Range(1, 20000).Select(i => $"line {i}");
        stdout.Should().Equal(expected);
        stderr.Should().Equal(expected);
    }

    [Fact]
    public async Task Output_lines_reach_the_handler_while_the_process_still_runs()
    {
        var firstLine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new ConcurrentQueue<string>();

        var run = DummyExe.Wrap("ticks", "3", "700")
            .WithStandardOutputPipe(ProcessText.Lines(line => { lines.Enqueue(line); firstLine.TrySetResult(line); }))
            .RunAsync();
        var first = await firstLine.Task.WaitAsync(TimeSpan.FromSeconds(20));

        run.IsCompleted.Should().BeFalse("the first line must arrive before the process ends");
        first.Should().Be("tick 1");
        await run;
        lines.Should().Equal("tick 1", "tick 2", "tick 3");
    }

    [Fact]
    public async Task A_throwing_handler_fails_the_run_after_the_output_is_drained()
    {
        var calls = 0;
        var act = () => DummyExe.Wrap("lines", "50000")
            .WithStandardOutputPipe(ProcessText.Lines(_ => { calls++; throw new InvalidOperationException("handler broke"); }))
            .RunAsync(TimeSpan.FromSeconds(60));

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("handler broke");
        calls.Should().Be(1);
    }

    [Fact]
    public async Task Working_directory_is_applied()
    {
        var directory = Directory.CreateTempSubdirectory("pipeline-pwd-").FullName;
        try
        {
            var result = await DummyExe.Wrap("pwd").WithWorkingDirectory(directory).RunBufferedAsync();

            result.StandardOutput.TrimEnd().Should().Be(directory);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }
}
