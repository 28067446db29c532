namespace Pipeline.Engine.Graph;

/// <summary>
/// Turns the invoked targets into an ordered plan: dependencies and triggered targets are pulled in,
/// ordering edges apply when both ends are in the plan, ties follow the order the user typed, then the order DependsOn lists, then
/// declaration.
/// </summary>
public static class ExecutionPlanner
{
    public static IReadOnlyList<ExecutableTarget> Plan(TargetGraph graph, IReadOnlyList<ExecutableTarget> invoked)
    {
        var included = new HashSet<ExecutableTarget>();
        var queue = new Queue<ExecutableTarget>(invoked);
        while (queue.Count > 0)
        {
            var target = queue.Dequeue();
            if (!included.Add(target)) continue;
            foreach (var next in target.Dependencies.Concat(target.Triggered)) queue.Enqueue(next);
        }

        // Rank by a depth-first walk from the invoked targets, predecessors first: a natural reading order.
        var rank = new Dictionary<ExecutableTarget, int>();
        void Walk(ExecutableTarget target)
        {
            if (rank.ContainsKey(target)) return;
            rank[target] = int.MaxValue; // visiting
            // Dependencies in the order DependsOn lists them, then other predecessors in declaration order.
            foreach (var p in PlanPredecessors(target, graph, included)
                         .OrderBy(p => target.Dependencies.IndexOf(p) is var i and >= 0 ? i : int.MaxValue)
                         .ThenBy(p => p.Index))
                Walk(p);
            rank[target] = rank.Count(r => r.Value != int.MaxValue);
            // What this target triggers reads best straight after it.
            foreach (var t in target.Triggered.Where(included.Contains)) Walk(t);
        }
        foreach (var target in invoked) Walk(target);
        foreach (var target in included.OrderBy(t => t.Index)) Walk(target);

        // Kahn's algorithm, always taking the ready target of lowest rank.
        var remaining = included.ToDictionary(t => t, t => PlanPredecessors(t, graph, included).Count());
        var plan = new List<ExecutableTarget>();
        while (remaining.Count > 0)
        {
            var next = remaining.Where(kv => kv.Value == 0).Select(kv => kv.Key).MinBy(t => rank[t])
                ?? throw new UsageException("Circular dependency among: " + string.Join(", ", remaining.Keys));
            plan.Add(next);
            remaining.Remove(next);
            foreach (var t in remaining.Keys.ToList())
                if (PlanPredecessors(t, graph, included).Contains(next)) remaining[t]--;
        }
        return plan;
    }

    private static IEnumerable<ExecutableTarget> PlanPredecessors(
        ExecutableTarget target, TargetGraph graph, HashSet<ExecutableTarget> included) =>
        TargetGraph.Predecessors(target, graph.Targets).Where(included.Contains).Distinct();
}
