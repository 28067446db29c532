using Pipeline.Engine;

namespace Pipeline.CI;

/// <summary>
/// A <c>workflow_dispatch</c> with a <c>targets</c> input (the job API's github-actions executor sends the job's targets)
/// runs only the jobs whose stage the requested targets' plans cover (every target the stage names is in the plan of one
/// of them), and the jobs those wait for (the stage gates too: publish still waits for the tests). So a job never runs a
/// target outside the requested plan but for the gates: asking for Certificates does not deploy. Any other event, or an
/// empty <c>targets</c>, runs the whole workflow. The <c>parameters</c> input goes to every job's command.
/// </summary>
public static class DispatchSelection
{
    public const string TargetsInput = "targets", ParametersInput = "parameters";
    /// <summary>The run step's variable that holds the dispatched parameters (never spliced into the script itself).</summary>
    public const string ParametersVariable = "DISPATCH_PARAMETERS";

    /// <summary>Job id → its <c>if:</c> selection (without the stage's own condition).</summary>
    public static IReadOnlyDictionary<string, string> Selections(IReadOnlyList<PlannedJob> jobs, IReadOnlyList<ExecutableTarget> graph)
    {
        var plans = graph.Where(t => t.Name != JobPlanner.SetupTarget)
            .Select(t => (t.Name, Plan: JobPlanner.Closure([t]).Select(p => p.Name).ToHashSet())).ToList();
        var direct = jobs.ToDictionary(j => j.Stage.Id, j => "(" + string.Join(" && ", j.Stage.Targets.Select(anchor =>
            "(" + string.Join(" || ", plans.Where(p => p.Plan.Contains(anchor)).Select(p => Requested(p.Name))) + ")")) + ")");
        return jobs.ToDictionary(j => j.Stage.Id, j => string.Join(" || ",
            new[] { "github.event_name != 'workflow_dispatch'", $"inputs.{TargetsInput} == ''" }
                .Concat(jobs.Where(k => k == j || NeedsClosure(k, jobs).Contains(j.Stage.Id)).Select(k => direct[k.Stage.Id]))));
    }

    /// <summary>The job's <c>if:</c>: its stage's condition, and selected by the dispatched targets.</summary>
    public static string Condition(string? stageCondition, string selection) =>
        stageCondition is null ? selection : $"({stageCondition}) && ({selection})";

    /// <summary>The run step's command with the dispatched parameters after it (empty on every other event).</summary>
    public static string Command(string command) => $"{command} ${ParametersVariable}";

    private static string Requested(string target) => $"contains(format(' {{0}} ', inputs.{TargetsInput}), ' {target} ')";

    private static HashSet<string> NeedsClosure(PlannedJob job, IReadOnlyList<PlannedJob> jobs)
    {
        var byId = jobs.ToDictionary(j => j.Stage.Id);
        var all = new HashSet<string>();
        var pending = new Stack<string>(job.Needs);
        while (pending.TryPop(out var id))
            if (all.Add(id))
                foreach (var need in byId[id].Needs) pending.Push(need);
        return all;
    }
}
