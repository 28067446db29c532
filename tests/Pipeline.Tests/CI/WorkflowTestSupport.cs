using Pipeline.Engine;
using Pipeline.Engine.Graph;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.CI;

/// <summary>The real build with its graph resolved as the engine does it, and readers of the generated YAML.</summary>
internal static class WorkflowTestSupport
{
    public static Build RealBuild()
    {
        var build = new Build { RootDirectory = RepositoryRoot() };
        build.AllTargets = TargetGraph.Create(build).Targets;
        return build;
    }

    public static AbsolutePath RepositoryRoot()
    {
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        return RootLocator.Find(environment);
    }

    public static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static YamlMappingNode Jobs(YamlMappingNode workflow) => (YamlMappingNode)workflow[new YamlScalarNode("jobs")];

    public static IReadOnlyList<string> Needs(YamlMappingNode job) =>
        job.Children.TryGetValue(new YamlScalarNode("needs"), out var needs)
            ? ((YamlSequenceNode)needs).Children.Select(n => ((YamlScalarNode)n).Value!).ToList()
            : [];

    public static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode job) =>
        ((YamlSequenceNode)job[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();

    public static string? Get(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>The <c>./build.sh …</c> line of the job's target step (id: targets), without the dispatched parameters' variable
    /// that a workflow with a <c>parameters</c> input puts at its end, and without the <c>sudo …</c> of a job that runs as root.</summary>
    public static string Command(YamlMappingNode job)
    {
        var line = Get(Steps(job).Single(s => Get(s, "id") == Pipeline.CI.WorkflowGenerator.TargetsStep), "run")!;
        var run = line.StartsWith(Pipeline.CI.WorkflowGenerator.AsRoot, StringComparison.Ordinal)
            ? line[Pipeline.CI.WorkflowGenerator.AsRoot.Length..]
            : line;
        var suffix = " $" + Pipeline.CI.DispatchSelection.ParametersVariable;
        return run.EndsWith(suffix, StringComparison.Ordinal) ? run[..^suffix.Length] : run;
    }

    /// <summary>
    /// Every target the job runs: those of its target step, and, when it computes the images' input hashes in a step
    /// of its own (<c>./build.sh ImageHashes</c>, nothing skipped), ImageHashes and all it depends on.
    /// </summary>
    public static IReadOnlyList<string> RunTargets(YamlMappingNode job, Build build)
    {
        var runs = Targets(Command(job)).ToList();
        if (Steps(job).Any(s => Get(s, "id") == Pipeline.CI.WorkflowGenerator.HashesStep))
        {
            var hashes = build.AllTargets.Single(t => t.Name == Pipeline.CI.WorkflowGenerator.HashesTarget);
            runs.AddRange(
                Pipeline.CI.JobPlanner.Closure([hashes]).Select(t => t.Name).Where(n => n != "Prerequisites" && !runs.Contains(n))
            );
        }
        return runs;
    }

    /// <summary>Targets of a <c>./build.sh A B --skip --environment x</c> line: the words before the first flag.</summary>
    public static IReadOnlyList<string> Targets(string command) =>
        command.Split(' ').Skip(1).TakeWhile(w => !w.StartsWith("--")).ToList();

    public static string? EnvironmentOf(string command)
    {
        var words = command.Split(' ');
        var i = Array.IndexOf(words, "--environment");
        return i >= 0 ? words[i + 1] : null;
    }
}
