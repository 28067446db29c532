using YamlDotNet.RepresentationModel;

namespace Pipeline.IntegrationTests.CI.Runner;

/// <summary>One step of a job: a <c>run:</c> script or a <c>uses:</c> action with its <c>with:</c>.</summary>
public sealed record WorkflowStep(
    string Name,
    string? Id,
    string? If,
    string? Uses,
    string? Run,
    IReadOnlyDictionary<string, string> With,
    IReadOnlyDictionary<string, string> Env
);

/// <summary>One job of a workflow as GitHub reads it: its needs, condition, environment, permissions and steps.</summary>
public sealed record WorkflowJob(
    string Id,
    string Name,
    IReadOnlyList<string> Needs,
    string? If,
    string? Environment,
    IReadOnlyDictionary<string, string> Permissions,
    IReadOnlyList<WorkflowStep> Steps
);

/// <summary>
/// A workflow file: its name, the inputs its <c>workflow_dispatch</c> declares (with defaults) and its jobs in file order.
/// </summary>
public sealed record Workflow(string File, IReadOnlyDictionary<string, string?> DispatchInputs, IReadOnlyList<WorkflowJob> Jobs)
{
    public static Workflow Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var inputs = (Get(Get(Get(root, "on"), "workflow_dispatch"), "inputs") as YamlMappingNode)?.Children
            .ToDictionary(i => i.Key.ToString(), i => Get(i.Value, "default")?.ToString()) ?? [];
        var jobs = ((YamlMappingNode)Get(root, "jobs")!).Children.Select(j => Job(j.Key.ToString(), j.Value)).ToList();
        return new(Path.GetFileName(path), inputs, jobs);
    }

    private static WorkflowJob Job(string id, YamlNode job) =>
        new(
            id,
            Get(job, "name")?.ToString() ?? id,
            (Get(job, "needs") as YamlSequenceNode)?.Children.Select(n => n.ToString()).ToList() ?? [],
            Get(job, "if")?.ToString(),
            Get(job, "environment")?.ToString(),
            Map(Get(job, "permissions")),
            ((YamlSequenceNode)Get(job, "steps")!).Children.Select(Step).ToList()
        );

    private static WorkflowStep Step(YamlNode step, int index) =>
        new(
            Get(step, "name")?.ToString() ?? Get(step, "uses")?.ToString() ?? $"step {index + 1}",
            Get(step, "id")?.ToString(),
            Get(step, "if")?.ToString(),
            Get(step, "uses")?.ToString(),
            Get(step, "run")?.ToString(),
            Map(Get(step, "with")),
            Map(Get(step, "env"))
        );

    private static Dictionary<string, string> Map(YamlNode? node) =>
        (node as YamlMappingNode)?.Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString()) ?? [];

    private static YamlNode? Get(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
}
