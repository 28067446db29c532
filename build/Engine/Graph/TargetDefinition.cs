using System.Linq.Expressions;

namespace Pipeline.Engine.Graph;

/// <summary>Collects what a target declaration says; <see cref="TargetGraph"/> resolves the references.</summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<Expression<Func<bool>>> StaticConditions { get; } = [];
    public List<Expression<Func<bool>>> DynamicConditions { get; } = [];
    public List<Expression<Func<object?>>> RequiredParameters { get; } = [];
    public List<Expression<Func<bool>>> RequiredConditions { get; } = [];
    private readonly List<Func<IEnumerable<Tool>>> _tools = [];
    private List<Tool>? _toolList;
    /// <summary>The tools of every <c>Needs</c>, read on first use: a long list (Test's) costs nothing to a run without it.</summary>
    public IReadOnlyList<Tool> Tools => _toolList ??= [.. _tools.SelectMany(t => t())];
    /// <summary>Whether any <c>Needs</c> names tools, known without reading a lazy list.</summary>
    public bool NeedsTools => _tools.Count > 0;
    public bool ProceedsAfterFailure { get; private set; }
    public bool IsAssured { get; private set; }
    public bool IsUnlisted { get; private set; }
    public List<Func<CancellationToken, Task>> Actions { get; } = [];

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnTargets.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForTargets.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterTargets.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeTargets.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersTargets.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByTargets.AddRange(targets); return this; }
    public ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions)
    {
        StaticConditions.AddRange(conditions);
        return this;
    }
    public ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions)
    {
        DynamicConditions.AddRange(conditions);
        return this;
    }
    public ITargetDefinition Requires(params Expression<Func<object?>>[] parameters)
    {
        RequiredParameters.AddRange(parameters);
        return this;
    }
    public ITargetDefinition Requires(Expression<Func<bool>> condition) { RequiredConditions.Add(condition); return this; }
    public ITargetDefinition Needs(params Tool[] tools) => tools.Length == 0 ? this : Needs(() => tools);
    public ITargetDefinition Needs(Func<IEnumerable<Tool>> tools)
    {
        _tools.Add(tools);
        _toolList = null;
        return this;
    }
    public ITargetDefinition ProceedAfterFailure() { ProceedsAfterFailure = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { IsAssured = true; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }

    public ITargetDefinition Executes(Action action)
    {
        Actions.Add(_ => { action(); return Task.CompletedTask; });
        return this;
    }

    public ITargetDefinition Executes(Func<Task> action) { Actions.Add(_ => action()); return this; }
    public ITargetDefinition Executes(Func<CancellationToken, Task> action) { Actions.Add(action); return this; }
}
