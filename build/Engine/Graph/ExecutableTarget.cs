namespace Pipeline.Engine;

public enum TargetStatus { None, Succeeded, Failed, Skipped, NotRun, Aborted }

/// <summary>A resolved target: its edges by name, and what happened to it in this run.</summary>
public sealed class ExecutableTarget
{
    internal ExecutableTarget(string name, int index, Graph.TargetDefinition definition)
    {
        Name = name;
        Index = index;
        Definition = definition;
    }

    public string Name { get; }
    /// <summary>Declaration order, used to break ties in the plan.</summary>
    public int Index { get; }
    internal Graph.TargetDefinition Definition { get; }
    public string Description => Definition.DescriptionText ?? "";
    public bool IsUnlisted => Definition.IsUnlisted;
    public bool IsAssured => Definition.IsAssured;
    public bool ProceedsAfterFailure => Definition.ProceedsAfterFailure;
    public IReadOnlyList<Tool> Tools => Definition.Tools;
    public bool NeedsTools => Definition.NeedsTools;

    /// <summary>Targets that must run before this one (DependsOn, and DependentFor declared on them).</summary>
    public List<ExecutableTarget> Dependencies { get; } = [];
    /// <summary>Ordering-only predecessors (After, and Before declared on them).</summary>
    public List<ExecutableTarget> OrderedAfter { get; } = [];
    /// <summary>Targets this one triggers (Triggers, and TriggeredBy declared on them).</summary>
    public List<ExecutableTarget> Triggered { get; } = [];

    public TargetStatus Status { get; internal set; }
    public string? Reason { get; internal set; }
    public TimeSpan Duration { get; internal set; }

    public override string ToString() => Name;
}
