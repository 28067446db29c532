using System.Reflection;

namespace Pipeline.Engine.Graph;

/// <summary>
/// All targets of a build, found by reflection on its <see cref="Target"/> properties, with their references
/// resolved. Construction checks the whole graph: unknown references and cycles are usage errors.
/// </summary>
public sealed class TargetGraph
{
    private readonly Dictionary<string, ExecutableTarget> _byKey;

    private TargetGraph(IReadOnlyList<ExecutableTarget> targets)
    {
        Targets = targets;
        _byKey = targets.ToDictionary(t => Key(t.Name));
    }

    public IReadOnlyList<ExecutableTarget> Targets { get; }

    /// <summary>Finds a target by a user-typed name: case-insensitive, dashes and underscores ignored.</summary>
    public ExecutableTarget? Find(string name) => _byKey.GetValueOrDefault(Key(name));

    public static string Key(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();

    public static TargetGraph Create(PipelineBuild build)
    {
        var properties = build.GetType()
            .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0)
            .InDeclarationOrder()
            .ToList();

        var names = new Dictionary<Target, string>();
        var definitions = new List<(PropertyInfo Property, TargetDefinition Definition)>();
        foreach (var property in properties)
        {
            var factory = (Target)property.GetValue(build)!;
            names[factory] = property.Name;
            var definition = new TargetDefinition();
            factory(definition);
            definitions.Add((property, definition));
        }

        var targets = definitions.Select((d, i) => new ExecutableTarget(d.Property.Name, i, d.Definition)).ToList();
        var byName = targets.ToDictionary(t => t.Name);
        ExecutableTarget Resolve(Target reference, string owner, string relation) =>
            names.TryGetValue(reference, out var name)
                ? byName[name]
                : throw new UsageException($"Target '{owner}' has a {relation} reference that is not a Target property of the build.");

        foreach (var target in targets)
        {
            var d = target.Definition;
            foreach (var r in d.DependsOnTargets) AddOnce(target.Dependencies, Resolve(r, target.Name, "DependsOn"));
            foreach (var r in d.DependentForTargets) AddOnce(Resolve(r, target.Name, "DependentFor").Dependencies, target);
            foreach (var r in d.AfterTargets) AddOnce(target.OrderedAfter, Resolve(r, target.Name, "After"));
            foreach (var r in d.BeforeTargets) AddOnce(Resolve(r, target.Name, "Before").OrderedAfter, target);
            foreach (var r in d.TriggersTargets) AddOnce(target.Triggered, Resolve(r, target.Name, "Triggers"));
            foreach (var r in d.TriggeredByTargets) AddOnce(Resolve(r, target.Name, "TriggeredBy").Triggered, target);
        }

        // Targets that need tools run after Prerequisites when both are in the plan.
        if (byName.TryGetValue("Prerequisites", out var prerequisites))
            foreach (var target in targets.Where(t => t.NeedsTools && t != prerequisites))
                AddOnce(target.OrderedAfter, prerequisites);

        var graph = new TargetGraph(targets);
        CycleDetector.ThrowOnCycle(targets);
        return graph;
    }

    /// <summary>Everything that must run before <paramref name="target"/>, whichever edge says so.</summary>
    internal static IEnumerable<ExecutableTarget> Predecessors(ExecutableTarget target, IReadOnlyList<ExecutableTarget> all) =>
        target.Dependencies
            .Concat(target.OrderedAfter)
            .Concat(all.Where(t => t.Triggered.Contains(target)));

    private static void AddOnce(List<ExecutableTarget> list, ExecutableTarget item)
    {
        if (!list.Contains(item)) list.Add(item);
    }
}
