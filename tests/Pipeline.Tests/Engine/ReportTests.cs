// [Parameter] fields are set by the engine through reflection (as build/_build.csproj notes for CS0649).
#pragma warning disable CS0649, CS0169, CS0414

using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Engine.Reports;
using System.Text.RegularExpressions;
using Xunit;

namespace Pipeline.Tests.Engine;

public enum Mode { Fast, ReallySlow }

public class ReportTests
{
    private sealed class Documented : RecordingBuild
    {
        public bool Never;

        [Parameter("Build configuration.")] readonly string Configuration = "Debug";
        [Parameter("Parallel jobs.")] readonly int MaxParallel = 4;
        [Parameter("How long to wait.")] readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
        [Parameter("How to run.")] readonly Mode RunMode = Mode.ReallySlow;
        [Parameter("Token for the API."), Secret] readonly string ApiToken = "default-secret-value";
        [Parameter("Overridden names.", Name = "Region", EnvironmentVariable = "AWS_REGION")] readonly string? CloudRegion;

        Target Default => _ => Records(_, nameof(Default)).Description("The default job.").DependsOn(Pack);
        Target Compile => _ => Records(_, nameof(Compile)).Description("Compile the sources.");
        Target Pack => _ => Records(_, nameof(Pack)).Description("Pack the <binaries> & more.").DependsOn(Compile).Triggers(Notify);
        Target Notify => _ => Records(_, nameof(Notify)).Description("Tell people.");
        Target Conditional => _ => Records(_, nameof(Conditional)).Description("Only sometimes.").OnlyWhenStatic(() => Never).After(Pack);
        Target Secretive => _ => Records(_, nameof(Secretive)).Description("Hidden from help.").Unlisted();
        Target Slow => _ => _.Description("Takes a while.").Executes(() => Task.Delay(150));
        Target Fail => _ => _.Description("Fails.").DependsOn(Compile).Executes(() => throw new PipelineException("it broke\nsecond line"));
    }

    [Fact]
    public async Task Help_lists_every_listed_target_with_description_and_direct_dependencies()
    {
        var build = new Documented();
        var run = await EngineHarness.RunAsync(build, "--help");

        run.ExitCode.Should().Be(0);
        build.Ran.Should().BeEmpty();
        var lines = run.Output.Split('\n');
        lines.Should().Contain(l => Regex.IsMatch(l, @"^  Default \(default\)\s+The default job\.  -> Pack\s*$"));
        lines.Should().Contain(l => Regex.IsMatch(l, @"^  Pack\s+Pack the <binaries> & more\.  -> Compile\s*$"));
        lines.Should().Contain(l => Regex.IsMatch(l, @"^  Compile\s+Compile the sources\.\s*$"));
        run.Output.Should().Contain("Tell people.").And.Contain("Only sometimes.").And.NotContain("Secretive");
        File.Exists(run.Root / ".nuke" / "temp" / "build.log").Should().BeFalse("help writes no log");
    }

    [Fact]
    public async Task Help_lists_every_parameter_with_environment_name_and_default_and_marks_secrets_without_their_default()
    {
        var run = await EngineHarness.RunAsync<Documented>("--help");

        run.Output.Should().Contain("--configuration <value>").And.Contain("Build configuration. [env: CONFIGURATION] [default: Debug]");
        run.Output.Should().Contain("Parallel jobs. [env: MAX_PARALLEL] [default: 4]");
        run.Output.Should().Contain("How long to wait. [env: WAIT] [default: 1m30s]");
        run.Output.Should().Contain("How to run. [env: RUN_MODE] [default: really-slow]");
        run.Output.Should().Contain("--region <value>").And.Contain("Overridden names. [env: AWS_REGION]");
        run.Output.Should()
            .Contain("--api-token <secret>")
            .And.Contain("Token for the API. [env: API_TOKEN] [secret: masked in all output]");
        run.Output.Should().NotContain("default-secret-value");
        // The engine's own parameters are listed too.
        run.Output.Should().Contain("--skip <value>").And.Contain("--plan").And.Contain("[env: PIPELINE_VERBOSITY] [default: normal]");
    }

    [Fact]
    public async Task Plan_prints_the_order_and_writes_a_plan_page_with_the_graph_and_the_plan_highlighted()
    {
        var build = new Documented();
        var run = await EngineHarness.RunAsync(build, "--plan", "Default", "Conditional");

        run.ExitCode.Should().Be(0);
        build.Ran.Should().BeEmpty();
        run.Output.Should()
            .Contain(
                "Execution plan:\n   1. Compile\n   2. Pack\n   3. Notify\n   4. Default\n   5. Conditional  (skipped: condition false: "
                + "Never)\n"
            )
            .And.Contain("Wrote artifacts/plan.html");
        var html = File.ReadAllText(run.Root / "artifacts" / "plan.html");
        html.Should().StartWith("<!DOCTYPE html>").And.Contain("<svg").And.Contain("</svg>");
        html.Should().Contain("class=\"node planned\"").And.Contain(">1. Compile<").And.Contain(">4. Default<");
        html.Should().Contain("class=\"node planned skipped\"").And.Contain("5. Conditional");
        html.Should().Contain("<title>Pack the &lt;binaries&gt; &amp; more.</title>", "descriptions are HTML-escaped");
        html.Should().Contain("class=\"node\"><title>Takes a while.", "targets outside the plan are drawn too, not highlighted");
        html.Should().Contain("class=\"dependency\"").And.Contain("class=\"ordering\"").And.Contain("class=\"trigger\"");
        html.Should().NotContain("<script", "the page is self-contained");
    }

    [Fact]
    public async Task The_summary_shows_every_planned_target_with_status_reason_duration_and_total()
    {
        var run = await EngineHarness.RunAsync<Documented>("Slow", "Conditional", "Fail");

        run.ExitCode.Should().Be(1);
        run.SummaryRow("Compile").Should().MatchRegex(@"^Compile\s+Succeeded\s+\d+\.\ds$");
        run.SummaryRow("Slow").Should().MatchRegex(@"^Slow\s+Succeeded\s+\d+\.\ds$");
        run.SummaryRow("Conditional").Should().MatchRegex(@"^Conditional\s+Skipped \(condition false: Never\)$");
        run.SummaryRow("Fail").Should().MatchRegex(@"^Fail\s+Failed \(it broke\)\s+\d+\.\ds$");
        run.SummaryRow("Total").Should().MatchRegex(@"^Total\s+\d+\.\ds$");
        run.Output.Should().Contain("Build failed: Fail.");
    }

    private sealed class Wordy : PipelineBuild
    {
        [Parameter("Build configuration.")] readonly string Configuration = "Debug";
        Target Default => _ => _.OnlyWhenStatic(() => Configuration == "Release-with-a-rather-long-name");
    }

    [Fact]
    public async Task A_long_skip_reason_is_shown_whole_in_the_summary()
    {
        var run = await EngineHarness.RunAsync<Wordy>();
        run.SummaryRow("Default").Should().EndWith("Skipped (condition false: Configuration == \"Release-with-a-rather-long-name\")");
    }

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(7_200_000, "2h")]
    [InlineData(250, "250ms")]
    [InlineData(0, "0s")]
    [InlineData(93_784_005, "1d2h3m4s5ms")]
    public void Help_shows_duration_defaults_as_they_are_typed(long milliseconds, string text)
    {
        var span = TimeSpan.FromMilliseconds(milliseconds);
        HelpWriter.Duration(span).Should().Be(text);
        Pipeline.Engine.Parameters.ValueConverter.ParseDuration(text).Should().Be(span);
    }

    [Fact]
    public void Durations_are_formatted_for_humans()
    {
        Summary.Format(TimeSpan.FromMilliseconds(1234)).Should().Be("1.2s");
        Summary.Format(TimeSpan.FromSeconds(75)).Should().Be("1:15");
        Summary.Format(TimeSpan.FromSeconds(3725)).Should().Be("1:02:05");
    }

    [Fact]
    public async Task Log_lines_carry_time_level_and_target_and_each_target_has_a_header()
    {
        var run = await EngineHarness.RunAsync<Documented>("Fail");
        run.Output.Should().Contain("── Compile ──").And.Contain("── Fail ──");
        run.Output.Should().MatchRegex(@"(?m)^\d\d:\d\d:\d\d ERR \[Fail\] it broke$");
        run.Output.Should().NotContain("\u001b[", "no colour when the output is not a terminal");
    }

    [Fact]
    public async Task Colour_is_used_on_a_terminal()
    {
        var run = await EngineHarness.RunAsync(new Documented(), EngineHarness.DefaultOf<Documented>(), ["Fail"], terminal: true);
        run.Output.Should().Contain("\u001b[31m").And.Contain("\u001b[1;36m── Fail ──");
    }

    [Fact]
    public async Task On_a_terminal_the_summary_statuses_are_coloured_but_the_build_log_has_no_escape_code()
    {
        var run = await EngineHarness.RunAsync(new Documented(), EngineHarness.DefaultOf<Documented>(), ["Fail"], terminal: true);

        run.Output[run.Output.LastIndexOf("Target", StringComparison.Ordinal)..]
            .Should()
            .MatchRegex(@"\u001b\[\d+mFailed \(it broke\)\u001b\[0m");
        run.BuildLog.Should().Contain("Failed (it broke)").And.NotContain("\u001b");
        run.BuildLog.Split('\n')
            .Select(l => l.TrimEnd())
            .Should()
            .Contain(l => l.StartsWith("Fail ") && l.EndsWith("s") && l.Contains("Failed (it broke)"));
    }

    [Fact]
    public async Task The_summary_is_plain_when_the_output_is_not_a_terminal()
    {
        var run = await EngineHarness.RunAsync<Documented>("Slow", "Fail");

        var summary = run.Output[run.Output.LastIndexOf("Target", StringComparison.Ordinal)..];
        summary.Should().NotContain("\u001b");
        summary.Split('\n')[0].Should().MatchRegex(@"^Target\s+Status\s+Duration$");
        run.Output.Should().Contain(new string('═', 20)).And.Contain(new string('─', 20));
    }

    [Fact]
    public async Task Inside_GitHub_Actions_each_target_is_a_group_and_errors_are_annotations()
    {
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" };
        var run = await EngineHarness.RunAsync(new Documented(), EngineHarness.DefaultOf<Documented>(), ["Fail"], env);

        run.Output.Should().Contain("::group::Compile\n").And.Contain("::group::Fail\n");
        Regex.Matches(run.Output, "::endgroup::").Count.Should().Be(2);
        run.Output.IndexOf("::endgroup::", StringComparison.Ordinal)
            .Should()
            .BeLessThan(run.Output.IndexOf("::group::Fail", StringComparison.Ordinal));
        run.Output.Should().Contain("::error::it broke%0Asecond line\n", "a workflow command is one line");
    }

    private sealed class AllHidden : PipelineBuild
    {
        Target Default => _ => _.Unlisted();
    }

    [Fact]
    public async Task Help_works_when_every_target_is_unlisted()
    {
        var run = await EngineHarness.RunAsync<AllHidden>("--help");
        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Targets (dependencies after the arrow):");
    }

    private sealed class Chatty : PipelineBuild
    {
        Target Default => _ => _.Executes(() =>
        {
            Log.Debug("a debug line");
            Log.Information("an information line");
            Log.Warning("a warning line");
            Log.Error("an error line");
        });
    }

    [Theory]
    [InlineData("quiet", new[] { "an error line" }, new[] { "a warning line", "an information line", "a debug line", "── Default ──" })]
    [InlineData("minimal", new[] { "an error line", "a warning line" }, new[] { "an information line", "a debug line" })]
    [InlineData("normal", new[] { "an error line", "a warning line", "an information line", "── Default ──" }, new[] { "a debug line" })]
    [InlineData("verbose", new[] { "an error line", "a warning line", "an information line", "a debug line" }, new string[0])]
    public async Task Verbosity_decides_what_the_console_shows_and_the_log_file_gets_everything(
        string verbosity,
        string[] shown,
        string[] hidden
    )
    {
        var run = await EngineHarness.RunAsync<Chatty>("--verbosity", verbosity);

        run.ExitCode.Should().Be(0);
        foreach (var line in shown) run.Output.Should().Contain(line);
        foreach (var line in hidden) run.Output.Should().NotContain(line);
        run.BuildLog.Should().Contain("a debug line").And.Contain("an information line");
        run.Output.Should().Contain("Build succeeded.", "the summary is always shown");
    }

    [Fact]
    public async Task A_build_log_held_by_another_build_is_left_alone_and_this_run_writes_the_next_free_one()
    {
        var root = EngineHarness.NewRoot();
        var temp = (root / ".nuke" / "temp").CreateDirectory();
        using (var outer = new FileStream(temp / "build.log", FileMode.Create, FileAccess.Write, FileShare.None))
        {
            outer.Write("the outer build's log\n"u8);
            outer.Flush();

            var run = await EngineHarness.RunAsync(new Chatty(), EngineHarness.DefaultOf<Chatty>(), [], root: root);

            run.ExitCode.Should().Be(0);
            File.ReadAllText(temp / "build.1.log").Should().Contain("an information line");
        }
        File.ReadAllText(temp / "build.log").Should().Be("the outer build's log\n");
    }

    [Fact]
    public async Task No_logo_leaves_out_the_logo()
    {
        var with = await EngineHarness.RunAsync<Chatty>();
        var without = await EngineHarness.RunAsync<Chatty>("--no-logo");
        with.Output.Should().Contain("┌─┐┬┌─┐┌─┐");
        without.Output.Should().NotContain("┌─┐┬┌─┐┌─┐");
    }

    [Fact]
    public async Task Closing_lines_follow_the_summary()
    {
        var run = await EngineHarness.RunAsync<Closer>();
        run.Output.TrimEnd().Should().EndWith("Build succeeded.\n3 passed, 0 failed");
    }

    private sealed class Closer : PipelineBuild
    {
        Target Default => _ => _.Executes(() => Log.Closing("3 passed, 0 failed"));
    }
}
