using Spectre.Console;
using Spectre.Console.Rendering;
using System.Text;

namespace Pipeline.Engine.Reports;

/// <summary>
/// The table every run ends with: target, status (with the reason), duration, total; drawn by Spectre.Console.
/// Coloured only for a terminal: the plain rendering (the log file, CI logs, redirected output) holds no escape code.
/// </summary>
public static class Summary
{
    /// <summary>Longer statuses (a long exception line) are cut with an ellipsis; skip reasons up to this fit whole.</summary>
    private const int MaxStatus = 100;

    public static string Render(IReadOnlyList<ExecutableTarget> plan, int exitCode, bool colour = false)
    {
        var total = plan.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Duration);
        var table = new Table { Border = new RuleBorder(), ShowHeaders = true, ShowFooters = true }
            .AddColumn(new TableColumn("Target").Footer("Total").Padding(0, 0, 2, 0))
            .AddColumn(new TableColumn("Status").Padding(0, 0, 2, 0))
            .AddColumn(new TableColumn("Duration").Footer(Format(total)).RightAligned().Padding(0, 0, 0, 0));
        foreach (var t in plan)
            table.AddRow(
                new Text(t.Name),
                new Text(Status(t), StatusStyle(t.Status)),
                new Text(ShowsDuration(t) ? Format(t.Duration) : "")
            );

        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = 4096; // never wrapped: a row is one line a log search finds whole
        console.Profile.Capabilities.Unicode = true;
        console.Write(table);

        var sb = new StringBuilder().AppendLine();
        foreach (var line in text.ToString().Split('\n')) if (line.TrimEnd() is { Length: > 0 } row) sb.AppendLine(row);
        sb.AppendLine(
            exitCode switch
            {
                ExitCodes.Success => "Build succeeded.",
                ExitCodes.Interrupted => "Build interrupted.",
                _ =>
                    $"Build failed: {string.Join(", ", plan.Where(t => t.Status is TargetStatus.Failed or TargetStatus.Aborted).Select(t => t.Name))}.",
            }
        );
        return sb.ToString();
    }

    /// <summary>Renders a table once, so that the first use of the renderer is paid off the run's path (see BuildHost).</summary>
    public static void WarmUp() => Render([], ExitCodes.Success);

    /// <summary>The status word, with the reason for every status that has one (the failure's first line too).</summary>
    private static string Status(ExecutableTarget t)
    {
        var status = t.Status == TargetStatus.None ? "NotRun" : t.Status.ToString();
        if (t.Reason is not null && t.Status is not TargetStatus.Succeeded) status += $" ({t.Reason})";
        return status.Length > MaxStatus ? status[..(MaxStatus - 2)] + "…)" : status;
    }

    private static Style StatusStyle(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded => new Style(Color.Green),
        TargetStatus.Failed or TargetStatus.Aborted => new Style(Color.Red),
        TargetStatus.Skipped => new Style(Color.Yellow),
        _ => new Style(Color.Grey),
    };

    private static bool ShowsDuration(ExecutableTarget t) =>
        t.Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Aborted;

    public static string Format(TimeSpan d) =>
        d.TotalHours >= 1 ? d.ToString(@"h\:mm\:ss") : d.TotalSeconds >= 10 ? d.ToString(@"m\:ss") : $"{d.TotalSeconds:0.0}s";

    /// <summary>Double rules above and below, thin ones around the rows, no column lines: each row starts with its target.</summary>
    private sealed class RuleBorder : TableBorder
    {
        public override string GetPart(TableBorderPart part) =>
            part switch
            {
                TableBorderPart.HeaderTopLeft
                or TableBorderPart.HeaderTop
                or TableBorderPart.HeaderTopSeparator
                or TableBorderPart.HeaderTopRight
                or TableBorderPart.FooterBottomLeft
                or TableBorderPart.FooterBottom
                or TableBorderPart.FooterBottomSeparator
                or TableBorderPart.FooterBottomRight => "═",
                TableBorderPart.HeaderBottomLeft
                or TableBorderPart.HeaderBottom
                or TableBorderPart.HeaderBottomSeparator
                or TableBorderPart.HeaderBottomRight
                or TableBorderPart.FooterTopLeft
                or TableBorderPart.FooterTop
                or TableBorderPart.FooterTopSeparator
                or TableBorderPart.FooterTopRight => "─",
                _ => "",
            };
    }
}
