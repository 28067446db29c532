using FluentAssertions;
using Pipeline.Engine;
using Pipeline.Publishing;
using Pipeline.Tests.Engine;
using Spectre.Console;
using Xunit;

namespace Pipeline.Tests.Publishing;

public sealed class ProgressDisplayTests
{
    private static (IAnsiConsole Console, StringWriter Output) Terminal()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        return (console, output);
    }

    [Fact]
    public void On_a_terminal_each_layer_gets_a_Spectre_bar_and_the_log_gets_one_summary_line()
    {
        var sink = new ListSink();
        new BuildSession([sink]).ActivateForThisFlow();
        var (console, output) = Terminal();
        var display = new ProgressDisplay("web → registry", console);

        display.Report("a1b2c3d4e5f6", "Pushing", 512, 2048);
        display.Report("0f9e8d7c6b5a", "Layer already exists", 0, 0);
        Thread.Sleep(250); // Spectre redraws on its own timer
        display.Report("a1b2c3d4e5f6", "Pushed", 2048, 2048);
        display.Complete();

        output.ToString().Should().Contain("a1b2c3d4e5f6 Pushing").And.Contain("0f9e8d7c6b5a Layer already exists").And.Contain("%");
        sink.Entries.Select(e => e.Message).Should().ContainSingle(l => l.Contains("web → registry: 2/2 layers done (1 already there)"));
    }

    [Fact]
    public void Without_a_terminal_there_are_no_escape_codes_only_lines_when_a_layer_finishes()
    {
        var sink = new ListSink();
        new BuildSession([sink]).ActivateForThisFlow();
        var display = new ProgressDisplay("web → registry", terminal: null);

        display.Report("a1b2c3d4e5f6", "Pushing", 512, 2048);
        display.Report("a1b2c3d4e5f6", "Pushed", 2048, 2048);
        display.Complete();

        sink.Entries.Select(e => e.Message)
            .Should()
            .OnlyContain(l => !l.Contains('\u001b'))
            .And.Contain(l => l.Contains("1/1 layers done"));
    }

    [Fact]
    public void A_second_display_at_the_same_time_writes_lines_instead_of_fighting_for_the_live_area()
    {
        new BuildSession([]).ActivateForThisFlow();
        var (first, _) = Terminal();
        var (second, secondOutput) = Terminal();
        var drawing = new ProgressDisplay("a", first);
        var other = new ProgressDisplay("b", second);

        drawing.Report("a1b2c3d4e5f6", "Pushing", 1, 2);
        var act = () => other.Report("0f9e8d7c6b5a", "Pushing", 1, 2);

        act.Should().NotThrow();
        drawing.Complete();
        other.Complete();
        secondOutput.ToString().Should().NotContain("0f9e8d7c6b5a");
    }
}
