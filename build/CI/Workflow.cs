namespace Pipeline.CI;

/// <summary>A GitHub Actions workflow file, as much of it as Pipeline writes.</summary>
public sealed record Workflow(string Name, WorkflowTriggers On, IReadOnlyList<Job> Jobs)
{
    /// <summary>Workflow-wide token scopes; jobs that need more say so themselves.</summary>
    public IReadOnlyList<(string Scope, string Access)> Permissions { get; init; } = [("contents", "read")];
    public Concurrency? Concurrency { get; init; }
    public IReadOnlyList<(string Name, string Value)> Env { get; init; } = [];
}

/// <summary>
/// <c>on:</c> — pushes to branches, pull requests, cron schedules and manual dispatch (with inputs).
/// Null or empty lists leave the trigger out.
/// </summary>
public sealed record WorkflowTriggers
{
    public IReadOnlyList<string>? PushBranches { get; init; }
    public IReadOnlyList<string>? PullRequestBranches { get; init; }
    public IReadOnlyList<string> Schedules { get; init; } = [];
    /// <summary>Null: no manual dispatch; empty: dispatch without inputs.</summary>
    public IReadOnlyList<DispatchInput>? Dispatch { get; init; }
}

/// <summary>A <c>workflow_dispatch</c> input: of type choice with options, else of type string.</summary>
public sealed record DispatchInput(string Name, string Description, IReadOnlyList<string> Options, string Default)
{
    public bool Required { get; init; } = true;
}

public sealed record Concurrency(string Group, string CancelInProgress);

public sealed record Job(string Id, string Name, IReadOnlyList<Step> Steps)
{
    public IReadOnlyList<string> Needs { get; init; } = [];
    public string? If { get; init; }
    /// <summary>A GitHub environment: its secrets, protection rules (reviewers) and deployment history.</summary>
    public string? Environment { get; init; }
    public Concurrency? Concurrency { get; init; }
    /// <summary>Null: the workflow's permissions.</summary>
    public IReadOnlyList<(string Scope, string Access)>? Permissions { get; init; }
    public IReadOnlyList<(string Name, string Value)> Env { get; init; } = [];
    public string RunsOn { get; init; } = "ubuntu-latest";
    public int TimeoutMinutes { get; init; } = 60;
}

/// <summary>A step: either an action (<see cref="Uses"/> and <see cref="With"/>) or a shell line (<see cref="Run"/>).</summary>
public sealed record Step(string Name)
{
    /// <summary>Names the step for <c>steps.&lt;id&gt;.outputs</c>.</summary>
    public string? Id { get; init; }
    public string? Uses { get; init; }
    public IReadOnlyList<(string Name, string Value)> With { get; init; } = [];
    public string? Run { get; init; }
    public string? If { get; init; }
    public IReadOnlyList<(string Name, string Value)> Env { get; init; } = [];
}
