using Pipeline.Deploying.Definitions;
using Pipeline.Deploying.Rolling;
using Pipeline.Tools.Grafana;

namespace Pipeline.Monitoring;

/// <summary>
/// The Grafana annotation of one group's deploy, from the same outcome its audit record comes from: a region from the
/// deploy's start to its end, tagged <c>pipeline</c>, <c>deploy</c>, the environment and the group (and <c>rollback</c> when
/// it rolled back by itself or was <c>Deploy --rollback</c>), with the text <c>&lt;group&gt; &lt;old&gt; → &lt;new&gt;
/// (&lt;result&gt;)</c>. The dashboard panels filter on these tags.
/// </summary>
public static class DeployAnnotations
{
    public const string PipelineTag = "pipeline";
    public const string DeployTag = "deploy";
    public const string RollbackTag = "rollback";

    /// <param name="manualRollback">The run was <c>Deploy --rollback</c> (a blue/green group switched back to its old colour).</param>
    public static GrafanaAnnotation For(DeployOutcome outcome, bool manualRollback, string? dashboardUid)
    {
        var group = outcome.Plan.Group;
        var rollback = manualRollback || outcome.RolledBack;
        List<string> tags = [PipelineTag, DeployTag, group.Environment, group.Name];
        if (rollback) tags.Add(RollbackTag);
        return new GrafanaAnnotation(outcome.StartedAt, outcome.FinishedAt, tags, Text(outcome, manualRollback), dashboardUid);
    }

    /// <summary>The audit record's words for the result: succeeded, rolled back or halted.</summary>
    public static string Result(DeployOutcome outcome) =>
        outcome.Succeeded ? "succeeded"
        : outcome.RolledBack ? "rolled back"
        : "halted";

    private static string Text(DeployOutcome outcome, bool manualRollback)
    {
        var group = outcome.Plan.Group.Name;
        if (manualRollback)
            return $"{group} rollback{(outcome.Live is { } live ? $" to {live}" : "")} ({Result(outcome)})";
        var old = outcome.Plan.Pending.Select(c => c.From).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(ImageResolver.Short).ToList();
        var from = old.Count > 0 ? string.Join(", ", old) : "–";
        return $"{group} {from} → {ImageResolver.Short(outcome.Plan.Image)} ({Result(outcome)})";
    }
}
