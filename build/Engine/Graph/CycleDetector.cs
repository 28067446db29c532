namespace Pipeline.Engine.Graph;

/// <summary>Finds a cycle over dependency, ordering and trigger edges: <c>Circular dependency: A -> B -> A</c>.</summary>
internal static class CycleDetector
{
    public static void ThrowOnCycle(IReadOnlyList<ExecutableTarget> targets)
    {
        var state = new Dictionary<ExecutableTarget, int>(); // 1 = on the stack, 2 = done
        var stack = new List<ExecutableTarget>();

        foreach (var target in targets)
            Visit(target);

        void Visit(ExecutableTarget target)
        {
            if (state.GetValueOrDefault(target) == 2) return;
            if (state.GetValueOrDefault(target) == 1)
            {
                var cycle = stack.Skip(stack.IndexOf(target)).Append(target).Select(t => t.Name);
                throw new UsageException($"Circular dependency: {string.Join(" -> ", cycle)}");
            }

            state[target] = 1;
            stack.Add(target);
            foreach (var next in TargetGraph.Predecessors(target, targets))
                Visit(next);
            stack.RemoveAt(stack.Count - 1);
            state[target] = 2;
        }
    }
}
