using System.Text;

namespace Pipeline.Engine.Reports;

/// <summary>The table every run ends with: target, status (with the reason), duration, total.</summary>
public static class Summary
{
    public static string Render(IReadOnlyList<ExecutableTarget> plan, int exitCode)
    {
        var nameWidth = Math.Max(12, plan.Max(t => t.Name.Length) + 2);
        var rule = new string('═', nameWidth + 44);
        var thin = new string('─', nameWidth + 44);
        var sb = new StringBuilder().AppendLine().AppendLine(rule);
        sb.AppendLine($"{"Target".PadRight(nameWidth)}{"Status",-34}{"Duration",10}");
        sb.AppendLine(thin);
        foreach (var t in plan)
        {
            var status = t.Status == TargetStatus.None ? "NotRun" : t.Status.ToString();
            if (t.Reason is not null && t.Status is TargetStatus.Skipped or TargetStatus.NotRun or TargetStatus.Aborted)
                status += $" ({t.Reason})";
            if (status.Length > 33) status = status[..32] + "…";
            var duration = t.Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Aborted ? Format(t.Duration) : "";
            sb.AppendLine($"{t.Name.PadRight(nameWidth)}{status,-34}{duration,10}");
        }
        sb.AppendLine(thin);
        var total = plan.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Duration);
        sb.AppendLine($"{"Total".PadRight(nameWidth)}{"",-34}{Format(total),10}");
        sb.AppendLine(rule);
        sb.AppendLine(exitCode switch
        {
            ExitCodes.Success => "Build succeeded.",
            ExitCodes.Interrupted => "Build interrupted.",
            _ => $"Build failed: {string.Join(", ", plan.Where(t => t.Status is TargetStatus.Failed or TargetStatus.Aborted).Select(t => t.Name))}.",
        });
        return sb.ToString();
    }

    public static string Format(TimeSpan d) =>
        d.TotalHours >= 1 ? d.ToString(@"h\:mm\:ss") : d.TotalSeconds >= 10 ? d.ToString(@"m\:ss") : $"{d.TotalSeconds:0.0}s";
}
