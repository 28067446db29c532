using CliWrap;
using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Tools.Process;
using Xunit;

namespace Pipeline.Tests.Engine;

public class FailureTests
{
    private sealed class Failing : RecordingBuild
    {
        Target Default => _ => Records(_, nameof(Default));
        Target Compile => _ => Records(_, nameof(Compile));
        Target Broken => _ => Records(_, nameof(Broken))
            .DependsOn(Compile)
            .Executes(() => throw new PipelineException("the widget is broken"));
        Target Tolerated => _ => Records(_, nameof(Tolerated))
            .ProceedAfterFailure()
            .Executes(() => throw new InvalidOperationException("tolerated failure"));
        Target Dependent => _ => Records(_, nameof(Dependent)).DependsOn(Tolerated);
        Target Later => _ => Records(_, nameof(Later));
        Target Cleanup => _ => Records(_, nameof(Cleanup)).AssuredAfterFailure().After(Broken, Later, Tolerated, Dependent);
        Target FailingTrigger => _ => Records(_, nameof(FailingTrigger)).ProceedAfterFailure().Triggers(Triggered)
            .Executes(() => throw new PipelineException("trigger failed"));
        Target Triggered => _ => Records(_, nameof(Triggered));
        Target BadCondition => _ => Records(_, nameof(BadCondition)).ProceedAfterFailure()
            .OnlyWhenDynamic(() => ThrowingCondition());
        static bool ThrowingCondition() => throw new InvalidOperationException("condition exploded");
        Target BadInput => _ => _.Executes(() => throw new UsageException("environments/x.yml: groups/web: is missing (add it)"));
        Target NeedsTool => _ => Records(_, nameof(NeedsTool)).Needs(Tool.Apt("pipeline-no-such-tool-xyz", "pipeline-pkg-xyz"));
        Target Pending => _ => Records(_, nameof(Pending)).Executes(() => SuccessExitCode = 3);
    }

    [Fact]
    public async Task A_target_can_set_the_exit_code_of_a_successful_run_and_a_later_failure_still_exits_1()
    {
        (await EngineHarness.RunAsync<Failing>("Pending", "Later")).ExitCode.Should().Be(3);
        var failed = await EngineHarness.RunAsync<Failing>("Pending", "Broken");
        failed.ExitCode.Should().Be(1);
        failed.Output.Should().Contain("Build failed: Broken.");
    }

    [Fact]
    public async Task A_failure_stops_the_plan_and_the_rest_is_NotRun_with_exit_1()
    {
        var build = new Failing();
        var run = await EngineHarness.RunAsync(build, "Broken", "Later");

        run.ExitCode.Should().Be(1);
        build.Ran.Should().Equal("Compile", "Broken");
        run.SummaryRow("Broken").Should().Contain("Failed");
        run.SummaryRow("Later").Should().Contain("NotRun (an earlier target failed)");
        run.Output.Should().Contain("the widget is broken").And.Contain("Build failed: Broken.");
    }

    [Fact]
    public async Task A_PipelineException_is_printed_as_its_message_without_a_stack_trace()
    {
        var run = await EngineHarness.RunAsync<Failing>("Broken");
        run.Output.Should().Contain("ERR [Broken] the widget is broken").And.NotContain("   at ");
        run.BuildLog.Should().Contain("   at "); // the log file keeps the stack trace (debug level)
    }

    [Fact]
    public async Task ProceedAfterFailure_continues_but_the_build_still_exits_1()
    {
        var build = new Failing();
        var run = await EngineHarness.RunAsync(build, "Tolerated", "Later");

        run.ExitCode.Should().Be(1);
        build.Ran.Should().Equal("Tolerated", "Later");
        run.SummaryRow("Tolerated").Should().Contain("Failed");
        run.SummaryRow("Later").Should().Contain("Succeeded");
        run.Output.Should().Contain("InvalidOperationException: tolerated failure");
    }

    [Fact]
    public async Task Dependents_of_a_failed_target_do_not_run_even_when_it_proceeds_after_failure()
    {
        var build = new Failing();
        var run = await EngineHarness.RunAsync(build, "Dependent", "Later");

        run.ExitCode.Should().Be(1);
        build.Ran.Should().Equal("Tolerated", "Later");
        run.SummaryRow("Dependent").Should().Contain("NotRun (Tolerated did not succeed)");
    }

    [Fact]
    public async Task Targets_triggered_by_a_failed_target_do_not_run()
    {
        var build = new Failing();
        var run = await EngineHarness.RunAsync(build, "FailingTrigger", "Later");

        run.ExitCode.Should().Be(1);
        build.Ran.Should().Equal("FailingTrigger", "Later");
        run.SummaryRow("Triggered").Should().Contain("NotRun (FailingTrigger did not succeed)");
    }

    [Fact]
    public async Task A_dynamic_condition_that_throws_fails_its_target_not_the_build_host()
    {
        var build = new Failing();
        var run = await EngineHarness.RunAsync(build, "BadCondition", "Later");

        run.ExitCode.Should().Be(1);
        build.Ran.Should().Equal("Later");
        run.SummaryRow("BadCondition").Should().Contain("Failed (condition exploded)");
    }

    [Fact]
    public async Task AssuredAfterFailure_runs_after_a_failure()
    {
        var build = new Failing();
        var run = await EngineHarness.RunAsync(build, "Broken", "Later", "Cleanup");

        run.ExitCode.Should().Be(1);
        build.Ran.Should().Equal("Compile", "Broken", "Cleanup");
        run.SummaryRow("Cleanup").Should().Contain("Succeeded");
        run.SummaryRow("Later").Should().Contain("NotRun");
    }

    [Fact]
    public async Task A_usage_error_thrown_by_a_target_exits_2()
    {
        var run = await EngineHarness.RunAsync<Failing>("BadInput");

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("environments/x.yml: groups/web: is missing (add it)");
        run.SummaryRow("BadInput").Should().Contain("Failed");
    }

    [Fact]
    public async Task A_target_whose_tool_is_missing_fails_naming_the_install_command()
    {
        var build = new Failing();
        var run = await EngineHarness.RunAsync(build, "NeedsTool");

        run.ExitCode.Should().Be(1);
        build.Ran.Should().BeEmpty();
        run.Output.Should().Contain("NeedsTool needs pipeline-no-such-tool-xyz").And.Contain("apt-get install -y pipeline-pkg-xyz");
    }

    [Fact]
    public async Task A_log_file_that_cannot_be_written_is_a_one_line_failure_before_anything_runs()
    {
        var root = EngineHarness.NewRoot();
        File.WriteAllText(root / ".nuke" / "temp", "a file where the temp folder belongs");
        var build = new Failing();

        var run = await EngineHarness.RunAsync(build, EngineHarness.DefaultOf<Failing>(), ["Compile"], root: root);

        run.ExitCode.Should().Be(1);
        build.Ran.Should().BeEmpty();
        run.Output.Should().Contain("ERR Cannot write the build log").And.NotContain("   at ");
    }

    private sealed class Interruptible : RecordingBuild
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<int> ChildPid { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool SawCancellation;
        public string PidFile = Path.Combine(Path.GetTempPath(), $"pipeline-engine-child-{Guid.NewGuid():N}.pid");

        Target Default => _ => Records(_, nameof(Default));
        Target Before => _ => Records(_, nameof(Before));
        Target Long => _ => _.DependsOn(Before).Executes(async ct =>
        {
            Started.SetResult();
            try { await Task.Delay(TimeSpan.FromMinutes(5), ct); }
            catch (OperationCanceledException) { SawCancellation = true; throw; }
        });
        Target WithChild => _ => _.Executes(async ct =>
        {
            var run = DummyExe.Wrap("spawn-child-and-sleep", PidFile).WithLog().RunAsync(ct);
            ChildPid.SetResult(await ProcessLiveness.ReadPidFileAsync(PidFile, TimeSpan.FromSeconds(30)));
            await run;
        });
        Target After => _ => Records(_, nameof(After)).DependsOn(Long);
        Target Other => _ => Records(_, nameof(Other)).After(Long, WithChild);
        Target Cleanup => _ => Records(_, nameof(Cleanup)).AssuredAfterFailure().After(Long, WithChild, After, Other)
            .Executes(ct => ct.IsCancellationRequested ? Task.FromCanceled(ct) : Task.CompletedTask);
    }

    [Fact]
    public async Task An_interrupt_cancels_the_running_target_runs_assured_targets_and_exits_130()
    {
        var build = new Interruptible();
        using var interrupt = new CancellationTokenSource();
        var running = EngineHarness.RunAsync(
            build,
            EngineHarness.DefaultOf<Interruptible>(),
            ["After", "Other", "Cleanup"],
            interrupt: interrupt.Token
        );
        await build.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        interrupt.Cancel();
        var run = await running.WaitAsync(TimeSpan.FromSeconds(30));

        run.ExitCode.Should().Be(130);
        build.SawCancellation.Should().BeTrue();
        build.Ran.Should().Equal("Before", "Cleanup");
        run.SummaryRow("Long").Should().Contain("Aborted");
        run.SummaryRow("After").Should().Contain("NotRun");
        run.SummaryRow("Other").Should().Contain("NotRun (interrupted)");
        run.SummaryRow("Cleanup").Should().Contain("Succeeded");
        run.Output.Should().Contain("Build interrupted.").And.Contain("WRN Interrupted: stopping the running target");
    }

    [Fact]
    public async Task An_interrupt_kills_the_child_process_tree_the_running_target_started()
    {
        var build = new Interruptible();
        using var interrupt = new CancellationTokenSource();
        var running = EngineHarness.RunAsync(
            build,
            EngineHarness.DefaultOf<Interruptible>(),
            ["WithChild", "Cleanup"],
            interrupt: interrupt.Token
        );
        var grandchild = await build.ChildPid.Task.WaitAsync(TimeSpan.FromSeconds(30));
        ProcessLiveness.IsAlive(grandchild).Should().BeTrue();

        interrupt.Cancel();
        var run = await running.WaitAsync(TimeSpan.FromSeconds(30));

        run.ExitCode.Should().Be(130);
        run.SummaryRow("WithChild").Should().Contain("Aborted");
        run.SummaryRow("Cleanup").Should().Contain("Succeeded");
        (await ProcessLiveness.WaitUntilDeadAsync(grandchild, TimeSpan.FromSeconds(10))).Should().BeTrue();
        File.Delete(build.PidFile);
    }
}
