using CliWrap;
using FluentAssertions;
using Pipeline.Tools.Process;
using System.Diagnostics;
using Xunit;

namespace Pipeline.Tests.Tools.Process;

public class ProcessKillTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"pipeline-child-{Guid.NewGuid():N}.pid");
        using var cancellation = new CancellationTokenSource();
        int childPid = 0;
        var clock = Stopwatch.StartNew();

        var run = DummyExe.Wrap("spawn-child-and-sleep", pidFile).RunAsync(cancellation.Token);
        try
        {
            childPid = await ProcessLiveness.ReadPidFileAsync(pidFile, Patience);
            ProcessLiveness.IsAlive(childPid).Should().BeTrue();

            cancellation.Cancel();
            var thrown = await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();

            thrown.Which.CancellationToken.Should().Be(cancellation.Token);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(50), "the run ends on cancellation, not when the sleep ends");
            (await ProcessLiveness.WaitUntilDeadAsync(childPid, TimeSpan.FromSeconds(10)))
                .Should()
                .BeTrue("the grandchild must be killed too");
        }
        finally
        {
            KillIfAlive(childPid);
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task Timeout_throws_and_kills()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"pipeline-child-{Guid.NewGuid():N}.pid");
        var command = DummyExe.Wrap("spawn-child-and-sleep", pidFile);
        int childPid = 0;
        try
        {
            var run = command.RunAsync(TimeSpan.FromSeconds(4));
            childPid = await ProcessLiveness.ReadPidFileAsync(pidFile, Patience);

            var thrown = await FluentActions.Awaiting(() => run).Should().ThrowAsync<CommandTimeoutException>();

            thrown.Which.Should().BeAssignableTo<CommandException>();
            thrown.Which.Timeout.Should().Be(TimeSpan.FromSeconds(4));
            thrown.Which.Message.Should().Contain("timed out after 4 s").And.Contain(command.ToString());
            (await ProcessLiveness.WaitUntilDeadAsync(childPid, TimeSpan.FromSeconds(10)))
                .Should()
                .BeTrue("the grandchild must be killed too");
        }
        finally
        {
            KillIfAlive(childPid);
            File.Delete(pidFile);
        }
    }

    [Fact]
    public async Task Short_timeout_ends_a_long_sleep_quickly()
    {
        var clock = Stopwatch.StartNew();

        var act = () => DummyExe.Wrap("sleep", "60000").RunBufferedAsync(TimeSpan.FromMilliseconds(500));

        (await act.Should().ThrowAsync<CommandTimeoutException>()).Which.Message.Should().Contain("500 ms");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task An_already_cancelled_token_starts_nothing()
    {
        var act = () => DummyExe.Wrap("echo", "never").RunAsync(new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static void KillIfAlive(int pid)
    {
        if (pid <= 0 || !ProcessLiveness.IsAlive(pid))
            return;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Gone already.
        }
    }
}
