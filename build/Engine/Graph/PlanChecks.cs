using Pipeline.Engine.Parameters;

namespace Pipeline.Engine.Graph;

/// <summary>
/// Decisions made once the plan exists and before anything runs: <c>--skip</c>, static conditions, and
/// <c>Requires</c> (an unmet one names the parameter and how to set it).
/// </summary>
internal static class PlanChecks
{
    /// <summary>Marks skipped targets; returns the unmet requirements (a usage error for a run, a note for --plan).</summary>
    public static IReadOnlyList<string> Apply(
        IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<ExecutableTarget> invoked, string[]? skip, TargetGraph graph,
        IReadOnlyList<ParameterInfo> parameters)
    {
        var skipped = skip switch
        {
            null => [],
            [] => plan.Except(invoked).ToHashSet(), // --skip alone: only the invoked targets run
            _ => skip.Select(n => graph.Find(n) ?? throw new UsageException(
                $"--skip: unknown target '{n}'.{Suggestions.DidYouMean(n, graph.Targets.Select(t => t.Name))}")).ToHashSet(),
        };

        foreach (var target in plan)
        {
            target.Status = TargetStatus.None;
            target.Reason = null;
            if (skipped.Contains(target))
            {
                Skip(target, "--skip");
                continue;
            }
            var failed = target.Definition.StaticConditions.FirstOrDefault(c => !c.Compile()());
            if (failed is not null) Skip(target, $"condition false: {ExpressionText.Of(failed)}");
        }

        var unmet = new List<string>();
        foreach (var target in plan.Where(t => t.Status != TargetStatus.Skipped))
        {
            foreach (var requirement in target.Definition.RequiredParameters)
            {
                if (HasValue(requirement.Compile()())) continue;
                var member = ExpressionText.MemberName(requirement);
                // The parameter's own names: [Parameter(Name = …, EnvironmentVariable = …)] may differ from the member's.
                var parameter = parameters.FirstOrDefault(p => p.Member.Name == member);
                if (parameter is null)
                {
                    unmet.Add($"Target '{target.Name}' requires {member ?? ExpressionText.Of(requirement)} to have a value.");
                    continue;
                }
                unmet.Add(
                    $"Target '{target.Name}' requires {parameter.Flag} "
                        + $"(pass {parameter.Flag} <value>, set {parameter.EnvironmentVariable}, or add \"{parameter.Name}\" to "
                            + $".nuke/parameters.json)."
                );
            }
            foreach (var condition in target.Definition.RequiredConditions)
            {
                if (condition.Compile()()) continue;
                // Requires(() => SomeSwitch) on a bool parameter: say how to switch it on.
                var member = ExpressionText.MemberName(condition);
                unmet.Add(parameters.FirstOrDefault(p => p.Member.Name == member && p.IsSwitch) is { } flag
                    ? $"Target '{target.Name}' requires {flag.Flag} (pass {flag.Flag}, or set {flag.EnvironmentVariable}=true)."
                    : $"Target '{target.Name}' requires {ExpressionText.Of(condition)}.");
            }
        }
        return unmet;
    }

    private static void Skip(ExecutableTarget target, string reason)
    {
        target.Status = TargetStatus.Skipped;
        target.Reason = reason;
    }

    private static bool HasValue(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0,
        Array a => a.Length > 0,
        _ => true,
    };
}
