using System.Linq.Expressions;

namespace Pipeline.Engine;

/// <summary>A target is declared as a property: <c>Target Deploy => _ => _.Description("…").DependsOn(Publish).Executes(…);</c></summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

/// <summary>The fluent surface a target declaration reads as a sentence with.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);
    /// <summary>These run before this one and are pulled into the plan.</summary>
    ITargetDefinition DependsOn(params Target[] targets);
    /// <summary>This one runs before those, and is pulled into the plan when they are.</summary>
    ITargetDefinition DependentFor(params Target[] targets);
    /// <summary>Ordering only: when both are in the plan, this runs after those.</summary>
    ITargetDefinition After(params Target[] targets);
    /// <summary>Ordering only: when both are in the plan, this runs before those.</summary>
    ITargetDefinition Before(params Target[] targets);
    /// <summary>When this one has run, those are added to the plan and run after it.</summary>
    ITargetDefinition Triggers(params Target[] targets);
    /// <summary>When any of those has run, this one is added to the plan and runs after it.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);
    /// <summary>Conditions decided when the plan is made: a false one skips this target (its dependencies still run).</summary>
    ITargetDefinition OnlyWhenStatic(params Expression<Func<bool>>[] conditions);
    /// <summary>Conditions decided right before this target would run.</summary>
    ITargetDefinition OnlyWhenDynamic(params Expression<Func<bool>>[] conditions);
    /// <summary>Parameters that must have a value (checked before anything runs), e.g. <c>Requires(() => Environment)</c>.</summary>
    ITargetDefinition Requires(params Expression<Func<object?>>[] parameters);
    /// <summary>A condition that must hold before anything runs.</summary>
    ITargetDefinition Requires(Expression<Func<bool>> condition);
    /// <summary>Tools (executables) this target needs; the Prerequisites target installs them.</summary>
    ITargetDefinition Needs(params Tool[] tools);
    /// <summary>Tools read only when a run asks for them (when Prerequisites or the target runs): for a long list.</summary>
    ITargetDefinition Needs(Func<IEnumerable<Tool>> tools);
    /// <summary>A failure of this target does not stop the targets after it.</summary>
    ITargetDefinition ProceedAfterFailure();
    /// <summary>This target still runs after an earlier failure, Ctrl-C or SIGTERM (clean-up).</summary>
    ITargetDefinition AssuredAfterFailure();
    /// <summary>Hidden from --help.</summary>
    ITargetDefinition Unlisted();
    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<Task> action);
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}
