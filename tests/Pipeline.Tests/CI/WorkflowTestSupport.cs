using Pipeline.Engine;
using Pipeline.Engine.Graph;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.CI;

/// <summary>The real build with its graph resolved as the engine does it, and readers of the generated YAML.</summary>
internal static class WorkflowTestSupport
{
    public static Build RealBuild()
    {
        var build = new Build();
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

    /// <summary>The <c>./build.sh …</c> line of the job's target step (not Prerequisites).</summary>
    public static string Command(YamlMappingNode job) =>
        ((YamlSequenceNode)job[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>()
            .Select(s => s.Children.TryGetValue(new YamlScalarNode("run"), out var run) ? ((YamlScalarNode)run).Value! : "")
            .Single(r => r.StartsWith("./build.sh "));

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
