using Pipeline.Engine;

namespace Pipeline.CI;

/// <summary>What one stage's job runs, and which jobs it needs (transitively reduced).</summary>
public sealed record PlannedJob(Stage Stage, IReadOnlyList<string> Targets, bool SkipsOthers, IReadOnlyList<string> Needs)
{
    /// <summary>The command line the job runs: <c>./build.sh Images Packages [--skip] [--environment staging]</c>.</summary>
    public string Command =>
        string.Join(' ', new[] { "./build.sh" }
            .Concat(Targets)
            .Concat(SkipsOthers ? ["--skip"] : [])
            .Concat(Stage.Environment is { } env ? ["--environment", env] : [])
            .Concat(Stage.FromEnvironment is { } from ? ["--from-environment", from] : []));
}

/// <summary>
/// Stages to jobs from the target graph. A job runs its stage's targets plus the dependencies (and triggered
/// targets) no earlier stage owns; it needs every job that runs a predecessor of one of its targets
/// (DependsOn, After, triggers: inside a workflow every job is "in the plan", so ordering edges count, though only
/// towards jobs of the same environment or of none), plus the stage's declared gates, with the redundant edges removed.
/// </summary>
public static class JobPlanner
{
    /// <summary>Set up by every job's first step, never a job of its own.</summary>
    public const string SetupTarget = "Prerequisites";

    public static IReadOnlyList<PlannedJob> Plan(IReadOnlyList<ExecutableTarget> graph, IReadOnlyList<Stage> stages)
    {
        var byName = graph.ToDictionary(t => t.Name);
        var ownedGlobally = new HashSet<string>();
        var ownedByEnvironment = new Dictionary<string, HashSet<string>>();
        var runs = new List<(Stage Stage, List<ExecutableTarget> Targets, bool Skips)>();

        foreach (var stage in stages)
        {
            var anchors = stage.Targets.Select(n => byName.GetValueOrDefault(n)
                ?? throw new PipelineException($"CI stage '{stage.Id}' names target '{n}', which the build does not have.")).ToList();
            var closure = Closure(anchors);
            var sameEnvironment = stage.Environment is { } e ? ownedByEnvironment.GetValueOrDefault(e) ?? [] : ownedGlobally;
            var mine = closure.Where(t => t.Name != SetupTarget && !ownedGlobally.Contains(t.Name) && !sameEnvironment.Contains(t.Name)
                                          && !stage.Skips.Contains(t.Name)).ToList();
            var owner = stage.Environment is { } env
                ? ownedByEnvironment.TryGetValue(env, out var set) ? set : ownedByEnvironment[env] = []
                : ownedGlobally;
            owner.UnionWith(mine.Select(t => t.Name));
            var ordered = TopologicalOrder(mine);
            var skips = Closure(ordered).Any(t => !mine.Contains(t) && t.Name != SetupTarget);
            runs.Add((stage, ordered, skips));
        }

        var ids = runs.Select(r => r.Stage.Id).ToList();
        if (ids.Distinct().Count() != ids.Count) throw new PipelineException("CI stage ids must be unique.");
        var direct = new Dictionary<string, HashSet<string>>();
        foreach (var (stage, targets, _) in runs)
        {
            var needs = new HashSet<string>(stage.After.Select(a => ids.Contains(a) ? a
                : throw new PipelineException($"CI stage '{stage.Id}' waits for unknown stage '{a}'.")));
            var orderingOnly = targets.SelectMany(t => t.OrderedAfter).ToHashSet();
            var dependencies = targets.SelectMany(t => Predecessors(t, graph).Except(t.OrderedAfter)).ToHashSet();
            foreach (var predecessor in targets.SelectMany(t => Predecessors(t, graph)).Where(p => !targets.Contains(p)).Distinct())
            {
                var candidates = runs.Where(r => r.Stage != stage && r.Targets.Contains(predecessor)).ToList();
                var matching = candidates.Where(r => r.Stage.Environment is null || r.Stage.Environment == stage.Environment).ToList();
                // An ordering edge to another environment's job says nothing about this one (staging's Deploy is not
                // after production's Promote); a dependency is met by whichever job runs it.
                var onlyOrdering = orderingOnly.Contains(predecessor) && !dependencies.Contains(predecessor);
                needs.UnionWith((matching.Count > 0 || onlyOrdering ? matching : candidates).Select(r => r.Stage.Id));
            }
            direct[stage.Id] = needs;
        }

        return runs.Select(r => new PlannedJob(r.Stage, r.Targets.Select(t => t.Name).ToList(), r.Skips,
            Reduce(r.Stage.Id, direct).OrderBy(ids.IndexOf).ToList())).ToList();
    }

    /// <summary>The targets and everything the plan pulls in with them (dependencies and triggered targets).</summary>
    public static HashSet<ExecutableTarget> Closure(IEnumerable<ExecutableTarget> targets)
    {
        var seen = new HashSet<ExecutableTarget>();
        var queue = new Queue<ExecutableTarget>(targets);
        while (queue.TryDequeue(out var t))
            if (seen.Add(t))
                foreach (var next in t.Dependencies.Concat(t.Triggered)) queue.Enqueue(next);
        return seen;
    }

    private static IEnumerable<ExecutableTarget> Predecessors(ExecutableTarget target, IReadOnlyList<ExecutableTarget> graph) =>
        target.Dependencies.Concat(target.OrderedAfter).Concat(graph.Where(t => t.Triggered.Contains(target)));

    /// <summary>Kahn's algorithm over the given targets only, ties by declaration order.</summary>
    public static List<ExecutableTarget> TopologicalOrder(IReadOnlyCollection<ExecutableTarget> targets)
    {
        var remaining = targets.ToList();
        var all = targets.ToList();
        var ordered = new List<ExecutableTarget>();
        while (remaining.Count > 0)
        {
            var next = remaining
                .Where(t => !Predecessors(t, all).Any(p => remaining.Contains(p)))
                .MinBy(t => t.Index) ?? throw new PipelineException("Circular dependency among " + string.Join(", ", remaining));
            ordered.Add(next);
            remaining.Remove(next);
        }
        return ordered;
    }

    /// <summary>Direct needs of a job without those reachable through another need.</summary>
    private static IEnumerable<string> Reduce(string job, Dictionary<string, HashSet<string>> direct)
    {
        var needs = direct[job];
        return needs.Where(n => !needs.Any(other => other != n && Reaches(other, n, direct, [job])));
    }

    private static bool Reaches(string from, string to, Dictionary<string, HashSet<string>> direct, HashSet<string> path)
    {
        if (!path.Add(from)) throw new PipelineException($"CI jobs wait for each other in a circle through '{from}'.");
        var found = direct[from].Contains(to) || direct[from].Any(n => Reaches(n, to, direct, [.. path]));
        return found;
    }
}
