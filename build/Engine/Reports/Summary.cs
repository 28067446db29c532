using System.Text;

namespace Pipeline.Engine.Reports;

/// <summary>The table every run ends with: target, status (with the reason), duration, total.</summary>
public static class Summary
{
    /// <summary>Longer statuses (a long exception line) are cut with an ellipsis; skip reasons up to this fit whole.</summary>
    private const int MaxStatus = 100;

    public static string Render(IReadOnlyList<ExecutableTarget> plan, int exitCode)
    {
        var rows = plan.Select(t => (t.Name, Status: Status(t), Duration: ShowsDuration(t) ? Format(t.Duration) : "")).ToList();
        var nameWidth = Math.Max(12, rows.Select(r => r.Name.Length + 2).DefaultIfEmpty(0).Max());
        var statusWidth = Math.Max(34, rows.Select(r => r.Status.Length + 2).DefaultIfEmpty(0).Max());
        var rule = new string('═', nameWidth + statusWidth + 10);
        var thin = new string('─', nameWidth + statusWidth + 10);
        var sb = new StringBuilder().AppendLine().AppendLine(rule);
        sb.AppendLine($"{"Target".PadRight(nameWidth)}{"Status".PadRight(statusWidth)}{"Duration",10}");
        sb.AppendLine(thin);
        foreach (var (name, status, duration) in rows)
            sb.AppendLine($"{name.PadRight(nameWidth)}{status.PadRight(statusWidth)}{duration,10}".TrimEnd());
        sb.AppendLine(thin);
        var total = plan.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Duration);
        sb.AppendLine($"{"Total".PadRight(nameWidth)}{"".PadRight(statusWidth)}{Format(total),10}");
        sb.AppendLine(rule);
        sb.AppendLine(exitCode switch
        {
            ExitCodes.Success => "Build succeeded.",
            ExitCodes.Interrupted => "Build interrupted.",
            _ => $"Build failed: {string.Join(", ", plan.Where(t => t.Status is TargetStatus.Failed or TargetStatus.Aborted).Select(t => t.Name))}.",
        });
        return sb.ToString();
    }

    /// <summary>The status word, with the reason for every status that has one (the failure's first line too).</summary>
    private static string Status(ExecutableTarget t)
    {
        var status = t.Status == TargetStatus.None ? "NotRun" : t.Status.ToString();
        if (t.Reason is not null && t.Status is not TargetStatus.Succeeded) status += $" ({t.Reason})";
        return status.Length > MaxStatus ? status[..(MaxStatus - 2)] + "…)" : status;
    }

    private static bool ShowsDuration(ExecutableTarget t) => t.Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Aborted;

    public static string Format(TimeSpan d) =>
        d.TotalHours >= 1 ? d.ToString(@"h\:mm\:ss") : d.TotalSeconds >= 10 ? d.ToString(@"m\:ss") : $"{d.TotalSeconds:0.0}s";
}
